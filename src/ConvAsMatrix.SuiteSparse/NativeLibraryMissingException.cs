namespace ConvAsMatrix.SuiteSparse;

/// <summary>
/// A SuiteSparse library this solver calls is not installed. The message names the shared object and the Debian
/// package that provides it, e.g. <c>libcholmod.so.3 (CHOLMOD) is not installed: apt-get install libsuitesparse-dev</c>.
/// </summary>
/// <remarks>
/// A <see cref="DllNotFoundException"/>, so code that already handles a missing native library handles this one; it is
/// thrown by the factories (<see cref="CholmodCholesky.Create"/>, <see cref="CxSparseFactorization"/>'s) before any work.
/// </remarks>
public sealed class NativeLibraryMissingException : DllNotFoundException
{
    /// <summary>Creates the exception for <paramref name="library"/>, provided by the Debian package <paramref name="package"/>.</summary>
    public NativeLibraryMissingException(string library, string component, string package)
        : base($"{library} ({component}) is not installed: apt-get install {package}")
    {
        Library = library;
        Package = package;
    }

    /// <summary>The shared object that could not be loaded, e.g. libcholmod.so.3.</summary>
    public string Library { get; }

    /// <summary>The Debian package to install, libsuitesparse-dev.</summary>
    public string Package { get; }
}
