using System.Runtime.InteropServices;

namespace ConvAsMatrix.SuiteSparse.Native;

/// <summary>
/// Owns a cholmod_common (native memory, started) and the factor made with it; releasing frees the factor, finishes
/// the common block and frees its memory — also from the finalizer, SafeHandle's guarantee.
/// </summary>
internal sealed unsafe class CholmodHandle : SafeHandle
{
    public CholmodHandle() : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)Cholmod.NewCommon(longIndices: false));
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public void* Common => (void*)handle;

    /// <summary>The factor, once analysed; freed with the handle.</summary>
    public Cholmod.FactorHead* Factor { get; set; }

    protected override bool ReleaseHandle()
    {
        var common = (void*)handle;
        if (Factor != null)
        {
            var factor = Factor;
            Cholmod.FreeFactor(&factor, common);
            Factor = null;
        }
        Cholmod.DeleteCommon(common, longIndices: false);
        return true;
    }
}
