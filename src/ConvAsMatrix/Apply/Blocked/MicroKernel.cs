using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ConvAsMatrix;

/// <summary>
/// The register-blocked inner loops of the blocked convolution (<see cref="TileShape"/>): a tile of output channels ×
/// output vectors, each vector <see cref="Vector512{T}.Count"/> contiguous output positions.
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
/// <para>Every method is compiled fully optimised at once (AggressiveOptimization): a product calls them a few
/// thousand times, so tiered compilation would otherwise run the first products through tier-0 code, where each
/// Vector512 operation is a call.</para>
/// <para>4 × 6 is the largest block with 24 accumulators + 4 weights + 1 input in the 32 vector registers
/// (AVX-512); 8 × 3 needs the same registers but loads 3 inputs per 8 broadcasts.</para>
/// </remarks>
internal static unsafe class MicroKernel
{
    /// <summary>
    /// tile[c, s] = Σ_j w[j·4 + c]·x[offset[j] + slotIn[s] .. + width) for c &lt; 4, s &lt; 6: the <see cref="TileShape.Wide"/>
    /// block, 24 vectors written to <paramref name="tile"/> channel-major.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Wide<TNum>(TNum* x, int* offset, int steps, TNum* w, int* slotIn, TNum* tile)
        where TNum : unmanaged, INumberBase<TNum>
    {
        const int Channels = 4;
        nint i0 = slotIn[0], i1 = slotIn[1], i2 = slotIn[2], i3 = slotIn[3], i4 = slotIn[4], i5 = slotIn[5];
        int width = Vector512<TNum>.Count;
        Vector512<TNum> a00, a01, a02, a03, a04, a05, a10, a11, a12, a13, a14, a15;
        Vector512<TNum> a20, a21, a22, a23, a24, a25, a30, a31, a32, a33, a34, a35;
        a00 = a01 = a02 = a03 = a04 = a05 = a10 = a11 = a12 = a13 = a14 = a15 = Vector512<TNum>.Zero;
        a20 = a21 = a22 = a23 = a24 = a25 = a30 = a31 = a32 = a33 = a34 = a35 = Vector512<TNum>.Zero;
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
        // Stored to the tile buffer, not handed to a helper: passing 24 vectors to a call made the JIT keep
        // accumulators on the stack inside the loop above (see NumericKernels).
        a00.Store(tile); a01.Store(tile + width); a02.Store(tile + 2 * width); a03.Store(tile + 3 * width); a04.Store(tile + 4 * width); a05.Store(tile + 5 * width);
        a10.Store(tile + 6 * width); a11.Store(tile + 7 * width); a12.Store(tile + 8 * width); a13.Store(tile + 9 * width); a14.Store(tile + 10 * width); a15.Store(tile + 11 * width);
        a20.Store(tile + 12 * width); a21.Store(tile + 13 * width); a22.Store(tile + 14 * width); a23.Store(tile + 15 * width); a24.Store(tile + 16 * width); a25.Store(tile + 17 * width);
        a30.Store(tile + 18 * width); a31.Store(tile + 19 * width); a32.Store(tile + 20 * width); a33.Store(tile + 21 * width); a34.Store(tile + 22 * width); a35.Store(tile + 23 * width);
    }

    /// <summary>
    /// tile[s] = Σ_j w[j]·x[offset[j] + start + s·width .. + width) for s &lt; 8: the <see cref="TileShape.Single"/>
    /// block, one channel × 8 consecutive vectors (one base address, constant displacements). <paramref name="tile"/>
    /// may be the output itself when all 8 vectors are valid (W1: 200 FMAs per tile, so a copy would be felt).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Single<TNum>(TNum* x, int* offset, int steps, TNum* w, int start, TNum* tile)
        where TNum : unmanaged, INumberBase<TNum>
    {
        int width = Vector512<TNum>.Count;
        Vector512<TNum> a0, a1, a2, a3, a4, a5, a6, a7;
        a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = Vector512<TNum>.Zero;
        x += start;
        for (int j = 0; j < steps; j++)
        {
            TNum* p = x + offset[j];
            var w0 = Vector512.Create(w[j]);
            a0 = Simd.Fma(Vector512.Load(p), w0, a0);
            a1 = Simd.Fma(Vector512.Load(p + Vector512<TNum>.Count), w0, a1);
            a2 = Simd.Fma(Vector512.Load(p + 2 * Vector512<TNum>.Count), w0, a2);
            a3 = Simd.Fma(Vector512.Load(p + 3 * Vector512<TNum>.Count), w0, a3);
            a4 = Simd.Fma(Vector512.Load(p + 4 * Vector512<TNum>.Count), w0, a4);
            a5 = Simd.Fma(Vector512.Load(p + 5 * Vector512<TNum>.Count), w0, a5);
            a6 = Simd.Fma(Vector512.Load(p + 6 * Vector512<TNum>.Count), w0, a6);
            a7 = Simd.Fma(Vector512.Load(p + 7 * Vector512<TNum>.Count), w0, a7);
        }
        a0.Store(tile); a1.Store(tile + width); a2.Store(tile + 2 * width); a3.Store(tile + 3 * width);
        a4.Store(tile + 4 * width); a5.Store(tile + 5 * width); a6.Store(tile + 6 * width); a7.Store(tile + 7 * width);
    }

    /// <summary>Writes a finished tile to y: whole vectors where a slot is full, element by element where it is cut short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void CopyOut<TNum>(TNum* tile, int slots, TNum* y, nint outStride, int* slotOut, int* count, int channels)
        where TNum : unmanaged, INumberBase<TNum>
    {
        int width = Vector512<TNum>.Count;
        for (int c = 0; c < channels; c++)
        {
            TNum* row = y + c * outStride;
            for (int s = 0; s < slots; s++)
            {
                TNum* from = tile + (c * slots + s) * width;
                int n = count[s];
                if (n == width) Vector512.Load(from).Store(row + slotOut[s]);
                else
                    for (int l = 0; l < n; l++) row[slotOut[s] + l] = from[l];
            }
        }
    }
}
