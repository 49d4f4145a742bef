using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>
/// Owns a cholmod_common started for the 64-bit routines (native memory) and the SPQR factorisation made with it;
/// releasing frees the factorisation (<c>SuiteSparseQR_C_free</c>), finishes the common block and frees its memory —
/// also from the finalizer, SafeHandle's guarantee.
/// </summary>
internal sealed unsafe class SpqrHandle : SafeHandle
{
    public SpqrHandle() : base(IntPtr.Zero, ownsHandle: true) => SetHandle((IntPtr)Cholmod.NewCommon(longIndices: true));

    public override bool IsInvalid => handle == IntPtr.Zero;

    public void* Common => (void*)handle;

    /// <summary>The factorisation (SuiteSparseQR_C_factorization*), once made; freed with the handle.</summary>
    public void* Factorization { get; set; }

    /// <summary>The numerical rank the last factorisation found (cc→SPQR_istat[4]).</summary>
    public long Rank => *(long*)((byte*)handle + Cholmod.SpqrRankOffset);

    protected override bool ReleaseHandle()
    {
        var common = (void*)handle;
        if (Factorization != null)
        {
            var qr = Factorization;
            Spqr.Free(&qr, common);
            Factorization = null;
        }
        Cholmod.DeleteCommon(common, longIndices: true);
        return true;
    }
}
