using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>The part of CXSparse 3 (CSparse with 32-bit <c>cs_di_*</c> routines) the factorisations use.</summary>
/// <remarks>
/// Layouts of /usr/include/suitesparse/cs.h on x86-64: cs_di 48 bytes, cs_dis 64 (pinv, q, parent, cp, leftmost, m2,
/// lnz, unz), cs_din 32 (L, U, pinv, B).
/// </remarks>
internal static unsafe class CxSparse
{
    /// <summary>cs_di: a compressed-column matrix (nz = −1) over caller memory.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Matrix
    {
        public int NzMax, M, N;
        public int* P, I;
        public double* X;
        public int Nz;
    }

    /// <summary>cs_dis: symbolic analysis.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Symbolic
    {
        public int* Pinv, Q, Parent, Cp, Leftmost;
        public int M2;
        public double Lnz, Unz;
    }

    /// <summary>cs_din: numeric factors.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Numeric
    {
        public Matrix* L, U;
        public int* Pinv;
        public double* B;
    }

    private const string Lib = NativeLibraries.CxSparse;

    [DllImport(Lib, EntryPoint = "cs_di_multiply")] public static extern Matrix* Multiply(Matrix* a, Matrix* b);
    [DllImport(Lib, EntryPoint = "cs_di_add")] public static extern Matrix* Add(Matrix* a, Matrix* b, double alpha, double beta);
    [DllImport(Lib, EntryPoint = "cs_di_schol")] public static extern Symbolic* SChol(int order, Matrix* a);
    [DllImport(Lib, EntryPoint = "cs_di_chol")] public static extern Numeric* Chol(Matrix* a, Symbolic* s);
    [DllImport(Lib, EntryPoint = "cs_di_sqr")] public static extern Symbolic* Sqr(int order, Matrix* a, int qr);
    [DllImport(Lib, EntryPoint = "cs_di_qr")] public static extern Numeric* QR(Matrix* a, Symbolic* s);
    [DllImport(Lib, EntryPoint = "cs_di_lu")] public static extern Numeric* LU(Matrix* a, Symbolic* s, double tol);
    [DllImport(Lib, EntryPoint = "cs_di_ipvec")] public static extern int IPVec(int* p, double* b, double* x, int n);
    [DllImport(Lib, EntryPoint = "cs_di_pvec")] public static extern int PVec(int* p, double* b, double* x, int n);
    [DllImport(Lib, EntryPoint = "cs_di_lsolve")] public static extern int LSolve(Matrix* l, double* x);
    [DllImport(Lib, EntryPoint = "cs_di_ltsolve")] public static extern int LTSolve(Matrix* l, double* x);
    [DllImport(Lib, EntryPoint = "cs_di_usolve")] public static extern int USolve(Matrix* u, double* x);
    [DllImport(Lib, EntryPoint = "cs_di_happly")] public static extern int HApply(Matrix* v, int i, double beta, double* x);
    [DllImport(Lib, EntryPoint = "cs_di_spfree")] public static extern Matrix* SpFree(Matrix* a);
    [DllImport(Lib, EntryPoint = "cs_di_sfree")] public static extern Symbolic* SFree(Symbolic* s);
    [DllImport(Lib, EntryPoint = "cs_di_nfree")] public static extern Numeric* NFree(Numeric* n);
}
