using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>
/// The part of SuiteSparseQR 2.1 (SuiteSparse 5.12, /usr/include/suitesparse/SuiteSparseQR_C.h) least squares by QR
/// uses: factorise once, then per batch Qᵀ·B and R⁻¹ with the column permutation. The factorisation object is opaque
/// (its C struct holds only the xtype and a pointer to the C++ factors); SPQR wants a common block started by
/// <c>cholmod_l_start</c> and matrices with 64-bit indices (<see cref="Cholmod.Long"/>).
/// </summary>
internal static unsafe class Spqr
{
    /// <summary>SPQR_ORDERING_DEFAULT: COLAMD, or METIS/AMD when CHOLMOD's analysis finds a better fill.</summary>
    public const int OrderingDefault = 7;

    /// <summary>SPQR_DEFAULT_TOL: columns of 2-norm ≤ 20·(m + n)·ε·(largest column 2-norm) are taken as dependent.</summary>
    public const double DefaultTolerance = -2;

    /// <summary>SPQR_QTX: Y = Qᵀ·X.</summary>
    public const int QTransposeX = 0;

    /// <summary>SPQR_RETX_EQUALS_B: X = E·(R \ B), R's first rank rows.</summary>
    public const int RetXEqualsB = 1;

    private const string Lib = NativeLibraries.Spqr;

    [DllImport(Lib, EntryPoint = "SuiteSparseQR_C_factorize")]
    public static extern void* Factorize(int ordering, double tol, Cholmod.Sparse* a, void* common);

    [DllImport(Lib, EntryPoint = "SuiteSparseQR_C_qmult")]
    public static extern Cholmod.Dense* QMult(int method, void* qr, Cholmod.Dense* x, void* common);

    [DllImport(Lib, EntryPoint = "SuiteSparseQR_C_solve")]
    public static extern Cholmod.Dense* Solve(int system, void* qr, Cholmod.Dense* b, void* common);

    [DllImport(Lib, EntryPoint = "SuiteSparseQR_C_free")]
    public static extern int Free(void** qr, void* common);
}
