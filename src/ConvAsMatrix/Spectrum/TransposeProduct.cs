using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ConvAsMatrix.Spectrum;

/// <summary>target += BᵀC for row-major m × c matrices B and C: the tap-pair products W_tᵀW_{t'} behind every Gram
/// table (<see cref="FrequencyGram"/>, <see cref="DenseNorm"/>), register-blocked.</summary>
/// <remarks>
/// A tile of 4 rows × 2 vectors of the target is summed over r in registers (8 accumulators; per r, 4 broadcasts from
/// B's row and 2 loads from C's), rows of B and C taken in chunks of <see cref="Chunk"/>, packed into contiguous
/// panels, so that C's chunk stays in L2 while every tile of the target passes over it. The previous row-by-row rank-1 update streamed the whole c × c
/// target through memory for every r (512 channels: 2 MiB per r). Each entry is still a sum of the same m products
/// (in another order), so the rounding bounds γ_m·|B|ᵀ|C| of the callers hold unchanged.
/// </remarks>
internal static class TransposeProduct
{
    private const int Chunk = 64;

    public static void Add(double[] b, double[] c, int m, int n, double[] target)
    {
        int w = Vector.IsHardwareAccelerated ? Vector<double>.Count : 0;
        int rowTiles = n / 4, columnTiles = w > 0 ? n / (2 * w) : 0;
        // The chunk's tiles packed contiguously: rows of a 512-channel B or C are 4 KiB apart, and a tile reading down
        // them would hit one L1 set with every load.
        var packedB = new double[rowTiles * Chunk * 4];
        var packedC = new double[columnTiles * Chunk * 2 * w];
        for (int r0 = 0; r0 < m; r0 += Chunk)
        {
            int r1 = Math.Min(m, r0 + Chunk), length = r1 - r0;
            Pack(b, n, r0, length, rowTiles, 4, packedB);
            Pack(c, n, r0, length, columnTiles, 2 * w, packedC);
            for (int it = 0; it < rowTiles; it++)
            {
                int i = 4 * it;
                for (int jt = 0; jt < columnTiles; jt++)
                    Tile(packedB.AsSpan(it * length * 4, length * 4), packedC.AsSpan(jt * length * 2 * w, length * 2 * w), length, target, i * n + jt * 2 * w, n);
                for (int j = columnTiles * 2 * w; j < n; j++)
                    for (int ii = i; ii < i + 4; ii++) target[ii * n + j] += Scalar(b, c, n, r0, r1, ii, j);
            }
            for (int i = rowTiles * 4; i < n; i++)
                for (int j = 0; j < n; j++) target[i * n + j] += Scalar(b, c, n, r0, r1, i, j);
        }
    }

    /// <summary>Rows r0 … r0 + length − 1, columns tile·width … of each whole tile, as tile-major panels (row by row within a tile).</summary>
    private static void Pack(double[] source, int n, int r0, int length, int tiles, int width, double[] panel)
    {
        for (int tile = 0; tile < tiles; tile++)
            for (int r = 0; r < length; r++)
                source.AsSpan((r0 + r) * n + tile * width, width).CopyTo(panel.AsSpan((tile * length + r) * width, width));
    }

    private static double Scalar(double[] b, double[] c, int n, int r0, int r1, int i, int j)
    {
        double s = 0;
        for (int r = r0; r < r1; r++) s += b[r * n + i] * c[r * n + j];
        return s;
    }

    /// <summary>target[at + row·n + …] += the 4 × 2w tile of the packed panels, over <paramref name="length"/> rows.</summary>
    private static void Tile(ReadOnlySpan<double> b, ReadOnlySpan<double> c, int length, double[] target, int at, int n)
    {
        Vector<double> a00 = default, a01 = default, a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
        int w = Vector<double>.Count;
        ref double bRef = ref MemoryMarshal.GetReference(b);
        ref double cRef = ref MemoryMarshal.GetReference(c);
        for (int r = 0; r < length; r++)
        {
            ref double cr = ref Unsafe.Add(ref cRef, r * 2 * w);
            var c0 = Vector.LoadUnsafe(ref cr);
            var c1 = Vector.LoadUnsafe(ref cr, (nuint)w);
            ref double br = ref Unsafe.Add(ref bRef, r * 4);
            var b0 = new Vector<double>(br);
            var b1 = new Vector<double>(Unsafe.Add(ref br, 1));
            var b2 = new Vector<double>(Unsafe.Add(ref br, 2));
            var b3 = new Vector<double>(Unsafe.Add(ref br, 3));
            a00 = DenseVectorLoops.MultiplyAdd(b0, c0, a00);
            a01 = DenseVectorLoops.MultiplyAdd(b0, c1, a01);
            a10 = DenseVectorLoops.MultiplyAdd(b1, c0, a10);
            a11 = DenseVectorLoops.MultiplyAdd(b1, c1, a11);
            a20 = DenseVectorLoops.MultiplyAdd(b2, c0, a20);
            a21 = DenseVectorLoops.MultiplyAdd(b2, c1, a21);
            a30 = DenseVectorLoops.MultiplyAdd(b3, c0, a30);
            a31 = DenseVectorLoops.MultiplyAdd(b3, c1, a31);
        }
        AddTo(target, at, w, a00, a01);
        AddTo(target, at + n, w, a10, a11);
        AddTo(target, at + 2 * n, w, a20, a21);
        AddTo(target, at + 3 * n, w, a30, a31);
    }

    private static void AddTo(double[] target, int at, int w, Vector<double> x0, Vector<double> x1)
    {
        var t = target.AsSpan(at, 2 * w);
        (Vector.LoadUnsafe(ref t[0]) + x0).StoreUnsafe(ref t[0]);
        (Vector.LoadUnsafe(ref t[w]) + x1).StoreUnsafe(ref t[w]);
    }
}
