using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>The part of CHOLMOD 3 (SuiteSparse 5.12, 32-bit index routines) the normal-equation Cholesky uses.</summary>
/// <remarks>
/// Layouts are those of /usr/include/suitesparse/cholmod.h on x86-64 (checked with offsetof when this was written:
/// sizeof(cholmod_common) = 2664 with <c>print</c> at 144; cholmod_sparse 88 bytes; cholmod_dense 56; the factor
/// starts with <c>size_t n, minor</c>). The common block is only ever handled through a pointer to memory of at least
/// its size, so CHOLMOD's own fields need not be declared here.
/// </remarks>
internal static unsafe class Cholmod
{
    /// <summary>Bytes reserved for cholmod_common (2664 in CHOLMOD 3.0.14), rounded up generously.</summary>
    public const int CommonBytes = 4096;

    /// <summary>Offset of <c>int print</c> in cholmod_common: 0 keeps CHOLMOD from printing warnings to stdout.</summary>
    public const int PrintOffset = 144;

    public const int Int = 0, Real = 1, Double = 0, SystemA = 0;

    [StructLayout(LayoutKind.Sequential)]
    public struct Sparse
    {
        public nuint NRow, NCol, NzMax;
        public void* P, I, Nz, X, Z;
        public int SType, IType, XType, DType, Sorted, Packed;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct Dense
    {
        public nuint NRow, NCol, NzMax, D;
        public void* X, Z;
        public int XType, DType;
    }

    /// <summary>The leading fields of cholmod_factor: n and minor (the column where factorisation stopped; n if it did not).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FactorHead
    {
        public nuint N, Minor;
    }

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_start")]
    public static extern int Start(void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_finish")]
    public static extern int Finish(void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_analyze")]
    public static extern FactorHead* Analyze(Sparse* a, void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_factorize_p")]
    public static extern int FactorizeP(Sparse* a, double* beta, int* fset, nuint fsize, FactorHead* l, void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_solve")]
    public static extern Dense* Solve(int system, FactorHead* l, Dense* b, void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_free_factor")]
    public static extern int FreeFactor(FactorHead** l, void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_free_dense")]
    public static extern int FreeDense(Dense** x, void* common);
}
