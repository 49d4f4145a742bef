using System.Globalization;
using Google.Protobuf;
using Onnx;

namespace ConvAsMatrix.Onnx;

/// <summary>
/// ONNX external data: a tensor whose bytes live in another file (data_location = EXTERNAL, external_data keys
/// location, offset, length), read into the tensor's raw_data so the in-memory model is self-contained.
/// </summary>
/// <remarks>
/// The location is relative to the model's directory and must stay inside it: an absolute path, or one that
/// '..' leads out of the directory, is refused (a model file must not read arbitrary files).
/// </remarks>
internal static class ExternalData
{
    public static void Inline(GraphProto graph, string? baseDirectory, string source)
    {
        foreach (var tensor in graph.Initializer)
            if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
                Inline(tensor, baseDirectory, source);
    }

    private static void Inline(TensorProto tensor, string? baseDirectory, string source)
    {
        string what = $"tensor '{AttributeReader.Quote(tensor.Name)}'";
        string? location = null;
        long offset = 0, length = -1;
        foreach (var entry in tensor.ExternalData)
        {
            switch (entry.Key)
            {
                case "location": location = entry.Value; break;
                case "offset": offset = ParseCount(entry.Value, "offset", what, source); break;
                case "length": length = ParseCount(entry.Value, "length", what, source); break;
                case "checksum": break; // optional SHA-1; the size checks below catch truncation
                default: throw OnnxFormat.Error(source, $"{what}: unknown external_data key '{AttributeReader.Quote(entry.Key)}'");
            }
        }
        if (string.IsNullOrEmpty(location)) throw OnnxFormat.Error(source, $"{what}: external data without a location");
        if (baseDirectory is null) throw OnnxFormat.Error(source, $"{what}: external data '{AttributeReader.Quote(location)}' needs the model's directory, and none was given");
        var path = Resolve(baseDirectory, location, what, source);
        byte[] bytes;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            long available = file.Length - offset;
            if (offset > file.Length) throw OnnxFormat.Error(source, $"{what}: external data offset {offset} is beyond the end of '{AttributeReader.Quote(location)}' ({file.Length} bytes)");
            if (length < 0) length = available;
            if (length > available) throw OnnxFormat.Error(source, $"{what}: external data needs {length} bytes at offset {offset} of '{AttributeReader.Quote(location)}', which has {file.Length}");
            if (length > Array.MaxLength) throw OnnxFormat.Error(source, $"{what}: {length} bytes of external data, beyond one array");
            bytes = new byte[length];
            file.Position = offset;
            file.ReadExactly(bytes);
        }
        catch (IOException e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw OnnxFormat.Error(source, $"{what}: external data file '{AttributeReader.Quote(location)}' not found beside the model");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OnnxFormat.Error(source, $"{what}: cannot read external data file '{AttributeReader.Quote(location)}': {e.Message.Split('\n')[0]}");
        }
        tensor.RawData = ByteString.CopyFrom(bytes);
        tensor.ExternalData.Clear();
        tensor.DataLocation = TensorProto.Types.DataLocation.Default;
    }

    private static string Resolve(string baseDirectory, string location, string what, string source)
    {
        if (location.Contains('\0')) throw OnnxFormat.Error(source, $"{what}: external data location contains a NUL character");
        var root = Path.GetFullPath(baseDirectory);
        var rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        string full;
        try
        {
            full = Path.GetFullPath(Path.Combine(root, location));
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw OnnxFormat.Error(source, $"{what}: external data location '{AttributeReader.Quote(location)}' is not a path");
        }
        if (Path.IsPathRooted(location) || !full.StartsWith(rootWithSeparator, StringComparison.Ordinal))
            throw OnnxFormat.Error(source, $"{what}: external data location '{AttributeReader.Quote(location)}' leads outside the model's directory");
        return full;
    }

    private static long ParseCount(string text, string key, string what, string source) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw OnnxFormat.Error(source, $"{what}: external_data {key} '{AttributeReader.Quote(text)}' is not a non-negative integer");
}
