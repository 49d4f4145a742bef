using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>The part of UMFPACK 5.7 (32-bit <c>umfpack_di_*</c> routines, /usr/include/suitesparse/umfpack.h) the LU uses.</summary>
internal static unsafe class Umfpack
{
    /// <summary>UMFPACK_OK: success.</summary>
    public const int Ok = 0;

    /// <summary>UMFPACK_WARNING_singular_matrix: the numeric factorisation met an exactly zero pivot.</summary>
    public const int SingularMatrix = 1;

    /// <summary>UMFPACK_At: solve Aᵀ·x = b (A the compressed-column matrix given, here Vᵀ, so this solves V·x = b).</summary>
    public const int TransposeSystem = 1;

    private const string Lib = NativeLibraries.Umfpack;

    [DllImport(Lib, EntryPoint = "umfpack_di_symbolic")]
    public static extern int Symbolic(int rows, int columns, int* ap, int* ai, double* ax, void** symbolic, double* control, double* info);

    [DllImport(Lib, EntryPoint = "umfpack_di_numeric")]
    public static extern int Numeric(int* ap, int* ai, double* ax, void* symbolic, void** numeric, double* control, double* info);

    [DllImport(Lib, EntryPoint = "umfpack_di_solve")]
    public static extern int Solve(int system, int* ap, int* ai, double* ax, double* x, double* b, void* numeric, double* control, double* info);

    [DllImport(Lib, EntryPoint = "umfpack_di_free_symbolic")]
    public static extern void FreeSymbolic(void** symbolic);

    [DllImport(Lib, EntryPoint = "umfpack_di_free_numeric")]
    public static extern void FreeNumeric(void** numeric);
}

/// <summary>Owns an UMFPACK numeric factorisation; releasing frees it (umfpack_di_free_numeric).</summary>
internal sealed unsafe class UmfpackHandle : SafeHandle
{
    public UmfpackHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public void* Numeric => (void*)handle;

    public void Own(void* numeric) => SetHandle((IntPtr)numeric);

    protected override bool ReleaseHandle()
    {
        void* numeric = (void*)handle;
        Umfpack.FreeNumeric(&numeric);
        return true;
    }
}
