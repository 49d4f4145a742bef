namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// V written out from its definition, in the test, sharing nothing with the library's sampling maps or
/// compiler: entry (row (co, o), column (ci, i)) is the sum of the weights of every tap of output position o
/// that reads input element i through F.pad's padding, for ci in co's group.
/// </summary>
public static class DefinitionOfV
{
    /// <summary>
    /// The input index that position <paramref name="p"/> (relative to the first input element) reads, or −1 for
    /// a zero. F.pad's modes: replicate repeats the edge, reflect mirrors about the edge element without
    /// repeating it, circular wraps around.
    /// </summary>
    public static int Source(long p, int n, PaddingMode mode)
    {
        if (p >= 0 && p < n) return (int)p;
        switch (mode)
        {
            case PaddingMode.Zeros: return -1;
            case PaddingMode.Replicate: return p < 0 ? 0 : n - 1;
            case PaddingMode.Reflect:
                // Mirror until inside: a valid geometry needs one mirror, the loop does not rely on it.
                while (p < 0 || p >= n) p = p < 0 ? -p : 2L * (n - 1) - p;
                return (int)p;
            default:
                long r = p % n;
                return (int)(r < 0 ? r + n : r);
        }
    }

    /// <summary>Every multi-index of an array of the given sizes, row-major (the last index fastest).</summary>
    public static IEnumerable<int[]> Indices(IReadOnlyList<int> sizes)
    {
        var index = new int[sizes.Count];
        if (sizes.Any(s => s <= 0)) yield break;
        while (true)
        {
            yield return (int[])index.Clone();
            int d = sizes.Count - 1;
            while (d >= 0 && ++index[d] == sizes[d]) index[d--] = 0;
            if (d < 0) yield break;
        }
    }

    /// <summary>Row-major offset of a multi-index.</summary>
    public static int Flatten(int[] index, IReadOnlyList<int> sizes)
    {
        int offset = 0;
        for (int d = 0; d < sizes.Count; d++) offset = offset * sizes[d] + index[d];
        return offset;
    }

    /// <summary>V's entries from the definition: (row, column) → summed weight. A key exists for every structural position.</summary>
    public static Dictionary<(int Row, int Column), long> Entries(GeometrySpec s, long[] weight)
    {
        var inSize = s.InputSizes;
        var outSize = s.OutputSizes;
        int inPlane = inSize.Aggregate(1, (p, x) => p * x), outPlane = outSize.Aggregate(1, (p, x) => p * x);
        int kPlane = s.Kernel.Aggregate(1, (p, x) => p * x);
        var taps = Indices(s.Kernel).ToArray();
        var entries = new Dictionary<(int, int), long>();
        var source = new int[s.Rank];
        for (int co = 0; co < s.OutChannels; co++)
            foreach (var o in Indices(outSize))
                for (int c = 0; c < s.InPerGroup; c++)
                {
                    int ci = co / s.OutPerGroup * s.InPerGroup + c;
                    for (int t = 0; t < taps.Length; t++)
                    {
                        bool zero = false;
                        for (int d = 0; d < s.Rank && !zero; d++)
                        {
                            source[d] = Source((long)o[d] * s.Stride(d) - s.Pad(d).Before + (long)taps[t][d] * s.Dims[d].Dilation, inSize[d], s.Mode);
                            zero = source[d] < 0;
                        }
                        if (zero) continue;
                        var key = (co * outPlane + Flatten(o, outSize), ci * inPlane + Flatten(source, inSize));
                        entries[key] = entries.GetValueOrDefault(key) + weight[(co * s.InPerGroup + c) * kPlane + t];
                    }
                }
        return entries;
    }

    /// <summary>
    /// nnz in closed form: C_out·(C_in/groups)·∏_d Σ_o (entries of output position o in dimension d). With zeros
    /// padding the taps in range form one interval, [ceil((b − o·s)/d), floor((n − 1 + b − o·s)/d)] ∩ [0, k − 1];
    /// the other modes read every tap, and taps landing on one input element share an entry.
    /// </summary>
    public static long ClosedFormCount(GeometrySpec s)
    {
        long count = (long)s.OutChannels * s.InPerGroup;
        for (int d = 0; d < s.Rank; d++)
        {
            int n = s.InputSize(d), k = s.Dims[d].Kernel, dil = s.Dims[d].Dilation, stride = s.Stride(d), b = s.Pad(d).Before;
            long perDim = 0;
            for (long o = 0; o < s.OutputSize(d); o++)
            {
                long first = o * stride - b;
                if (s.Mode == PaddingMode.Zeros)
                {
                    long lo = Math.Max(0, (long)Math.Ceiling((double)-first / dil));
                    long hi = Math.Min(k - 1, (long)Math.Floor((double)(n - 1 - first) / dil));
                    perDim += Math.Max(0, hi - lo + 1);
                }
                else
                    perDim += Enumerable.Range(0, k).Select(t => Source(first + (long)t * dil, n, s.Mode)).Distinct().Count();
            }
            count *= perDim;
        }
        return count;
    }
}
