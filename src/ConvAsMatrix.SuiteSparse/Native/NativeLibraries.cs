using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>
/// The SuiteSparse shared objects of Debian 12 (SuiteSparse 5.12, package libsuitesparse-dev) and the check that
/// they load, so that a missing one is a <see cref="NativeLibraryMissingException"/> naming the package rather than a
/// bare <see cref="DllNotFoundException"/> from the first call.
/// </summary>
internal static class NativeLibraries
{
    public const string Cholmod = "libcholmod.so.3";
    public const string CxSparse = "libcxsparse.so.3";
    public const string Umfpack = "libumfpack.so.5";
    public const string Spqr = "libspqr.so.2";

    /// <summary>The Debian package that ships all of them (headers included; the runtime packages are libcholmod3, libcxsparse3, libspqr2).</summary>
    public const string Package = "libsuitesparse-dev";

    private static readonly ConcurrentDictionary<string, bool> Loaded = new();

    /// <summary>Throws <see cref="NativeLibraryMissingException"/> unless <paramref name="library"/> loads.</summary>
    public static void Require(string library, string component, string package = Package)
    {
        if (!Loaded.GetOrAdd(library, l => NativeLibrary.TryLoad(l, typeof(NativeLibraries).Assembly, null, out _)))
            throw new NativeLibraryMissingException(library, component, package);
    }
}
