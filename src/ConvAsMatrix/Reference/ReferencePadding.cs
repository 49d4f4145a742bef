namespace ConvAsMatrix;

/// <summary>
/// Padding as PyTorch's <c>F.pad(x, pad, mode)</c> does it, written out per mode for the direct references.
/// Deliberately independent of the sampling maps V is compiled from, so that each checks the other.
/// </summary>
internal static class ReferencePadding
{
    /// <summary>
    /// The input index that position <paramref name="q"/> of the padded axis (0 ≤ q &lt; before + n + after)
    /// copies, or −1 where zero padding puts a zero.
    /// </summary>
    public static int Source(int q, int before, int n, PaddingMode mode)
    {
        int i = q - before; // position relative to the first input element
        if (i >= 0 && i < n) return i;
        switch (mode)
        {
            case PaddingMode.Zeros:
                return -1;
            case PaddingMode.Replicate:
                return i < 0 ? 0 : n - 1;
            case PaddingMode.Reflect:
                // ...dcb|abcd|cba...: mirror about the first and last element, which are not repeated.
                return i < 0 ? -i : (n - 1) - (i - (n - 1));
            case PaddingMode.Circular:
                // ...bcd|abcd|abc...: the input repeats.
                while (i < 0) i += n;
                while (i >= n) i -= n;
                return i;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    /// <summary>
    /// For every element of the padded forward input (N, C_in, *padded) the offset in the unpadded input
    /// (N, C_in, *in) that it copies, or −1 for a zero. Padding is <c>padded[q] = input[offset[q]]</c>;
    /// its adjoint, the fold of the transposed convolution, is <c>input[offset[q]] += padded[q]</c>.
    /// </summary>
    /// <returns>The offsets and the padded spatial size, as three dimensions.</returns>
    public static (int[] Offsets, int[] PaddedSize) Offsets(ConvGeometry g)
    {
        var n = ConvGeometry.Pad3(g.InputSize, 1);
        var before = ConvGeometry.Pad3(g.PaddingBefore, 0);
        var after = ConvGeometry.Pad3(g.PaddingAfter, 0);
        // A valid geometry can pad far beyond its input (zeros padding is unbounded), so size the padded copy in long first.
        var paddedSize = new[] { (long)n[0] + before[0] + after[0], (long)n[1] + before[1] + after[1], (long)n[2] + before[2] + after[2] };
        var offsets = new int[Check.Length("the padded input of the direct reference", g.Batch, g.InChannels, paddedSize[0], paddedSize[1], paddedSize[2])];
        var p = new[] { (int)paddedSize[0], (int)paddedSize[1], (int)paddedSize[2] };
        int q = 0;
        for (int bc = 0; bc < g.Batch * g.InChannels; bc++)
            for (int q0 = 0; q0 < p[0]; q0++)
                for (int q1 = 0; q1 < p[1]; q1++)
                    for (int q2 = 0; q2 < p[2]; q2++, q++)
                    {
                        int i0 = Source(q0, before[0], n[0], g.PaddingMode);
                        int i1 = Source(q1, before[1], n[1], g.PaddingMode);
                        int i2 = Source(q2, before[2], n[2], g.PaddingMode);
                        offsets[q] = i0 < 0 || i1 < 0 || i2 < 0 ? -1 : ((bc * n[0] + i0) * n[1] + i1) * n[2] + i2;
                    }
        return (offsets, p);
    }
}
