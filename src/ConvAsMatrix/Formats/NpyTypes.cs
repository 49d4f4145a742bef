namespace ConvAsMatrix;

/// <summary>
/// NumPy's type strings (<c>descr</c>) for the types of <see cref="NpyDataType"/>: a byte-order character (<c>&lt;</c>
/// little-endian, <c>&gt;</c> big-endian, <c>|</c> not applicable, <c>=</c> this machine's), a kind (<c>b</c> bool,
/// <c>i</c> signed, <c>u</c> unsigned, <c>f</c> floating) and the size in bytes, e.g. <c>'&lt;i4'</c> or <c>'|u1'</c>.
/// </summary>
internal static class NpyTypes
{
    private static readonly (NpyDataType Type, char Kind, int Size, Type Clr, string Name)[] Table =
    [
        (NpyDataType.Bool, 'b', 1, typeof(bool), "bool"),
        (NpyDataType.Int8, 'i', 1, typeof(sbyte), "int8"),
        (NpyDataType.UInt8, 'u', 1, typeof(byte), "uint8"),
        (NpyDataType.Int16, 'i', 2, typeof(short), "int16"),
        (NpyDataType.UInt16, 'u', 2, typeof(ushort), "uint16"),
        (NpyDataType.Int32, 'i', 4, typeof(int), "int32"),
        (NpyDataType.UInt32, 'u', 4, typeof(uint), "uint32"),
        (NpyDataType.Int64, 'i', 8, typeof(long), "int64"),
        (NpyDataType.UInt64, 'u', 8, typeof(ulong), "uint64"),
        (NpyDataType.Float16, 'f', 2, typeof(Half), "float16"),
        (NpyDataType.Float32, 'f', 4, typeof(float), "float32"),
        (NpyDataType.Float64, 'f', 8, typeof(double), "float64"),
    ];

    /// <summary>The supported type strings, for messages.</summary>
    public const string Supported = "bool, int8, uint8, int16, uint16, int32, uint32, int64, uint64, float16, float32 and float64, either byte order";

    /// <summary>NumPy's name of the type, e.g. "int8".</summary>
    public static string Name(NpyDataType type) => Row(type).Name;

    /// <summary>Bytes per element.</summary>
    public static int Size(NpyDataType type) => Row(type).Size;

    /// <summary>The type whose .NET element type is T.</summary>
    /// <exception cref="ArgumentException">T is not one of the .npy types.</exception>
    public static NpyDataType Of<T>()
    {
        foreach (var row in Table)
            if (row.Clr == typeof(T)) return row.Type;
        throw new ArgumentException($"element type {typeof(T).Name} has no .npy dtype; {Supported.Replace(", either byte order", "")} do", "tensor");
    }

    /// <summary>The type string for <paramref name="type"/>: '|' for one-byte types, as NumPy writes them, else '&lt;' or '&gt;'.</summary>
    public static string Descr(NpyDataType type, bool bigEndian)
    {
        var row = Row(type);
        char order = row.Size == 1 ? '|' : bigEndian ? '>' : '<';
        return $"{order}{row.Kind}{row.Size}";
    }

    /// <summary>
    /// Reads a type string: the type and whether its bytes are big-endian; null with <paramref name="problem"/> set when it
    /// is not a supported one.
    /// </summary>
    public static NpyDataType? Parse(string descr, out bool bigEndian, out string problem)
    {
        bigEndian = false;
        problem = "";
        if (descr.Length >= 3 && descr[0] is '<' or '>' or '|' or '=')
        {
            char order = descr[0], kind = descr[1];
            if (int.TryParse(descr.AsSpan(2), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int size))
                foreach (var row in Table)
                    if (row.Kind == kind && row.Size == size)
                    {
                        // '|' means "byte order does not apply", which NumPy writes only for one-byte types.
                        if (order == '|' && size != 1) break;
                        bigEndian = order == '>' || (order == '=' && !BitConverter.IsLittleEndian);
                        return row.Type;
                    }
        }
        problem = $"dtype '{descr}' is not supported; {Supported} are";
        return null;
    }

    private static (NpyDataType Type, char Kind, int Size, Type Clr, string Name) Row(NpyDataType type)
    {
        foreach (var row in Table)
            if (row.Type == type) return row;
        throw new ArgumentOutOfRangeException(nameof(type), type, $"NpyDataType {(int)type} is not defined");
    }
}
