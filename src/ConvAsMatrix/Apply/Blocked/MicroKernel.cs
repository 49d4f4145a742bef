using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>
/// The register-blocked inner loop of the blocked convolution: a tile of <see cref="Channels"/> output channels ×
/// <see cref="Slots"/> output vectors, each vector <see cref="Vector512{T}.Count"/> contiguous output positions.
/// </summary>
/// <remarks>
/// <para>Lane layout (double; float has 16 lanes instead of 8):</para>
/// <code>
///              slot 0 (8 positions)  slot 1 ...        slot 5
///   channel 0  a00 = [y0 y1 .. y7]   a01 = [..]   ..   a05
///   channel 1  a10                   a11          ..   a15        24 accumulators in zmm registers
///   channel 2  a20                   a21          ..   a25
///   channel 3  a30                   a31          ..   a35
/// </code>
/// <para>Per step j (one reduction channel and one tap, visited in the order the offsets list them) the kernel
/// broadcasts four packed weights w[j][0..3] (one per output channel of the block, adjacent in memory) and loads
/// each slot's input vector once, x[offset[j] + slot[s] .. + 8): 6 loads and 4 broadcasts feed 24 FMAs, so the
/// FMA unit, not the load ports, is the limit. Slots are independent runs (any row, any phase), so one
/// kernel serves narrow rows (14 wide), strided and dilated convolutions, and the adjoint's phases alike.</para>
/// <para>4 × 6 is the largest block with 24 accumulators + 4 weights + 1 input in the 32 vector registers
/// (AVX-512); 8 × 3 needs the same registers but loads 3 inputs per 8 broadcasts.</para>
/// </remarks>
internal static unsafe class MicroKernel
{
    /// <summary>Output channels per tile (the co-lane of the packed weights).</summary>
    public const int Channels = 4;

    /// <summary>Output vectors per tile.</summary>
    public const int Slots = 6;

    /// <summary>
    /// y[c·outStride + slotOut[s] + l] = Σ_j w[j·4 + c]·x[offset[j] + slotIn[s] + l] for c &lt; channels,
    /// s &lt; 6, l &lt; count[s] (overwritten; slots with count 0 are skipped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<TNum>(TNum* x, int* offset, int steps, TNum* w, int* slotIn, TNum* y, nint outStride, int* slotOut, int* count, int channels, TNum* spill)
        where TNum : unmanaged, INumberBase<TNum>
    {
        nint i0 = slotIn[0], i1 = slotIn[1], i2 = slotIn[2], i3 = slotIn[3], i4 = slotIn[4], i5 = slotIn[5];
        Vector512<TNum> a00 = Vector512<TNum>.Zero, a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
        Vector512<TNum> a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00;
        Vector512<TNum> a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00;
        Vector512<TNum> a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a35 = a00;
        for (int j = 0; j < steps; j++, w += Channels)
        {
            TNum* p = x + offset[j];
            var w0 = Vector512.Create(w[0]);
            var w1 = Vector512.Create(w[1]);
            var w2 = Vector512.Create(w[2]);
            var w3 = Vector512.Create(w[3]);
            var v = Vector512.Load(p + i0);
            a00 = Simd.Fma(v, w0, a00); a10 = Simd.Fma(v, w1, a10); a20 = Simd.Fma(v, w2, a20); a30 = Simd.Fma(v, w3, a30);
            v = Vector512.Load(p + i1);
            a01 = Simd.Fma(v, w0, a01); a11 = Simd.Fma(v, w1, a11); a21 = Simd.Fma(v, w2, a21); a31 = Simd.Fma(v, w3, a31);
            v = Vector512.Load(p + i2);
            a02 = Simd.Fma(v, w0, a02); a12 = Simd.Fma(v, w1, a12); a22 = Simd.Fma(v, w2, a22); a32 = Simd.Fma(v, w3, a32);
            v = Vector512.Load(p + i3);
            a03 = Simd.Fma(v, w0, a03); a13 = Simd.Fma(v, w1, a13); a23 = Simd.Fma(v, w2, a23); a33 = Simd.Fma(v, w3, a33);
            v = Vector512.Load(p + i4);
            a04 = Simd.Fma(v, w0, a04); a14 = Simd.Fma(v, w1, a14); a24 = Simd.Fma(v, w2, a24); a34 = Simd.Fma(v, w3, a34);
            v = Vector512.Load(p + i5);
            a05 = Simd.Fma(v, w0, a05); a15 = Simd.Fma(v, w1, a15); a25 = Simd.Fma(v, w2, a25); a35 = Simd.Fma(v, w3, a35);
        }
        // Spilled to a small buffer and copied out by one loop: handing 24 vectors to a helper made the JIT keep
        // accumulators on the stack inside the loop above (see NumericKernels), and partial slots need lane copies anyway.
        int width = Vector512<TNum>.Count;
        a00.Store(spill); a01.Store(spill + width); a02.Store(spill + 2 * width); a03.Store(spill + 3 * width); a04.Store(spill + 4 * width); a05.Store(spill + 5 * width);
        a10.Store(spill + 6 * width); a11.Store(spill + 7 * width); a12.Store(spill + 8 * width); a13.Store(spill + 9 * width); a14.Store(spill + 10 * width); a15.Store(spill + 11 * width);
        a20.Store(spill + 12 * width); a21.Store(spill + 13 * width); a22.Store(spill + 14 * width); a23.Store(spill + 15 * width); a24.Store(spill + 16 * width); a25.Store(spill + 17 * width);
        a30.Store(spill + 18 * width); a31.Store(spill + 19 * width); a32.Store(spill + 20 * width); a33.Store(spill + 21 * width); a34.Store(spill + 22 * width); a35.Store(spill + 23 * width);
        CopyOut(spill, y, outStride, slotOut, count, channels);
    }

    /// <summary>Writes the spilled tile: whole vectors where a slot is full, element by element where it is cut short.</summary>
    private static void CopyOut<TNum>(TNum* spill, TNum* y, nint outStride, int* slotOut, int* count, int channels)
        where TNum : unmanaged, INumberBase<TNum>
    {
        int width = Vector512<TNum>.Count;
        for (int c = 0; c < channels; c++)
        {
            TNum* row = y + c * outStride;
            for (int s = 0; s < Slots; s++)
            {
                TNum* from = spill + (c * Slots + s) * width;
                int n = count[s];
                if (n == width) Vector512.Load(from).Store(row + slotOut[s]);
                else
                    for (int l = 0; l < n; l++) row[slotOut[s] + l] = from[l];
            }
        }
    }
}
