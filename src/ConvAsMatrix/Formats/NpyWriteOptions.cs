namespace ConvAsMatrix;

/// <summary>How <see cref="Npy.Write(Stream, NpyArray, NpyWriteOptions)"/> lays the elements out. The defaults are what <c>numpy.save</c> writes on a little-endian machine.</summary>
public sealed record NpyWriteOptions
{
    /// <summary>Fortran order (first index fastest, <c>fortran_order: True</c>) instead of C order.</summary>
    public bool FortranOrder { get; init; }

    /// <summary>Big-endian elements (<c>'&gt;i4'</c>) instead of little-endian; one-byte types are written <c>'|'</c> either way.</summary>
    public bool BigEndian { get; init; }
}
