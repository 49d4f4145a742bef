using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>Owns a CXSparse symbolic analysis (cs_dis) and numeric factorisation (cs_din); releasing frees both (cs_di_nfree, cs_di_sfree).</summary>
internal sealed unsafe class CxSparseHandle : SafeHandle
{
    public CxSparseHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero && Symbolic == null;

    public CxSparse.Symbolic* Symbolic { get; private set; }

    public CxSparse.Numeric* Numeric => (CxSparse.Numeric*)handle;

    /// <summary>Takes ownership of the analysis (before the numeric step, so that a failure there still frees it).</summary>
    public void Own(CxSparse.Symbolic* symbolic) => Symbolic = symbolic;

    /// <summary>Takes ownership of the numeric factors.</summary>
    public void Own(CxSparse.Numeric* numeric) => SetHandle((IntPtr)numeric);

    protected override bool ReleaseHandle()
    {
        CxSparse.NFree((CxSparse.Numeric*)handle);
        CxSparse.SFree(Symbolic);
        Symbolic = null;
        return true;
    }
}
