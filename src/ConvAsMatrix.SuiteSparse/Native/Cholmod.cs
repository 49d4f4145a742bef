using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>
/// The part of CHOLMOD 3 (SuiteSparse 5.12) the normal-equation Cholesky uses (32-bit index routines) and SPQR needs
/// around it (the <c>cholmod_l_*</c> common and dense routines: SPQR works with 64-bit indices only).
/// </summary>
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

    /// <summary>
    /// Offset of <c>SPQR_istat[4]</c> in cholmod_common (SPQR_istat at 2160, SuiteSparse_long each): the numerical
    /// rank SPQR's last factorisation found (columns of 2-norm ≤ tol at their pivot treated as zero).
    /// </summary>
    public const int SpqrRankOffset = 2160 + 4 * sizeof(long);

    public const int Int = 0, Long = 2, Real = 1, Double = 0, SystemA = 0;

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

        /// <summary>A real column-major rows × columns block over caller memory (pinned for the call): a batch's samples one after the other.</summary>
        public static Dense View(double* x, int rows, int columns) => new()
        {
            NRow = (nuint)rows,
            NCol = (nuint)columns,
            NzMax = (nuint)((long)rows * columns),
            D = (nuint)rows,
            X = x,
            XType = Real,
            DType = Double,
        };
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

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_l_start")]
    public static extern int LongStart(void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_l_finish")]
    public static extern int LongFinish(void* common);

    [DllImport(NativeLibraries.Cholmod, EntryPoint = "cholmod_l_free_dense")]
    public static extern int LongFreeDense(Dense** x, void* common);

    /// <summary>
    /// A started cholmod_common in fresh native memory, printing nothing (warnings come back as status, not stdout);
    /// <paramref name="longIndices"/> starts it for the <c>cholmod_l_*</c> routines (SPQR). Free it with <see cref="DeleteCommon"/>.
    /// </summary>
    public static void* NewCommon(bool longIndices)
    {
        var common = NativeMemory.AllocZeroed(CommonBytes);
        if (longIndices) LongStart(common);
        else Start(common);
        *(int*)((byte*)common + PrintOffset) = 0;
        return common;
    }

    /// <summary>Finishes a common block made by <see cref="NewCommon"/> (with the same index width) and frees its memory.</summary>
    public static void DeleteCommon(void* common, bool longIndices)
    {
        if (longIndices) LongFinish(common);
        else Finish(common);
        NativeMemory.Free(common);
    }

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
