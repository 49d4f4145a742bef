namespace ConvAsMatrix;

/// <summary>
/// For one spatial dimension: which input index each kernel tap reads, for every output position, with the
/// padding mode folded in. This is the sparsity pattern of V along that dimension; V's pattern is the
/// product of the three dimensions' maps and the channel blocks.
/// </summary>
/// <remarks>
/// Output position <c>o</c>, tap <c>t</c> reads padded position <c>p = o·stride − before + t·dilation</c>.
/// For input <c>abcde</c>, kernel 3, padding 2 (positions −2…6):
/// <code>
/// zeros      00|abcde|00   o=0 reads (a:t2)              o=6 reads (e:t0)
/// replicate  aa|abcde|ee   o=0 reads (a:t0+t1+t2)        o=6 reads (e:t0+t1+t2)
/// reflect    cb|abcde|dc   o=0 reads (a:t2)(b:t1)(c:t0)  o=6 reads (c:t2)(d:t1)(e:t0)
/// circular   de|abcde|ab   o=0 reads (a:t2)(d:t0)(e:t1)
/// </code>
/// Each output position's entries are sorted by input index and taps landing on the same index share one
/// entry, so the row-major product of the maps yields V's rows with sorted, distinct column indices and no
/// sort at compile time.
/// </remarks>
internal sealed class SamplingMap
{
    private SamplingMap(int outputSize, int[] entryStart, int[] source, int[] tapStart, int[] taps)
    {
        OutputSize = outputSize;
        EntryStart = entryStart;
        Source = source;
        TapStart = tapStart;
        Taps = taps;
        SingleTap = taps.Length == source.Length;
    }

    /// <summary>The size-one dimension that ranks below three are padded with.</summary>
    public static SamplingMap Identity { get; } = new(1, [0, 1], [0], [0, 1], [0]);

    public int OutputSize { get; }

    /// <summary>Output position o owns entries <c>EntryStart[o] .. EntryStart[o + 1]</c>.</summary>
    public int[] EntryStart { get; }

    /// <summary>The input index an entry reads; ascending within one output position.</summary>
    public int[] Source { get; }

    /// <summary>Entry e sums the kernel taps <c>Taps[TapStart[e] .. TapStart[e + 1]]</c>.</summary>
    public int[] TapStart { get; }

    public int[] Taps { get; }

    /// <summary>Every entry has exactly one tap (always so with zero padding): entry e's tap is <c>Taps[e]</c>.</summary>
    public bool SingleTap { get; }

    public int Count(int o) => EntryStart[o + 1] - EntryStart[o];

    /// <summary>The bytes its arrays hold: O(output·kernel), never per element of V.</summary>
    public long Bytes => ((long)EntryStart.Length + Source.Length + TapStart.Length + Taps.Length) * sizeof(int);

    /// <summary>The input index padded position <paramref name="p"/> reads, or −1 for zero padding.</summary>
    public static int SourceIndex(long p, int n, PaddingMode mode)
    {
        if (p >= 0 && p < n) return (int)p;
        return mode switch
        {
            PaddingMode.Zeros => -1,
            PaddingMode.Replicate => p < 0 ? 0 : n - 1,
            // Valid geometries keep reflect padding below n, so one reflection lands inside.
            PaddingMode.Reflect => (int)(p < 0 ? -p : 2L * (n - 1) - p),
            PaddingMode.Circular => (int)(((p % n) + n) % n),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown padding mode"),
        };
    }

    /// <summary>Σ over output positions of the number of distinct input indices read, without building the map.</summary>
    public static long CountEntries(int input, int output, int kernel, int stride, int dilation, int before, PaddingMode mode)
    {
        long total = 0;
        if (mode is PaddingMode.Zeros or PaddingMode.Replicate)
        {
            // Closed form: replicate padding is unbounded, so counting tap by tap could take output·kernel steps for a handful of entries.
            for (long o = 0; o < output; o++)
            {
                long start = o * stride - before;
                var (lo, hi) = TapsInside(start, input, kernel, dilation);
                long inside = Math.Max(0, hi - lo + 1);
                total += inside;
                if (mode == PaddingMode.Zeros) continue;
                // Taps left of the input all read element 0, taps right of it element n − 1: one more entry each,
                // unless a tap inside reads that element already (or n = 1 and the left taps did).
                bool left = start < 0, right = start + (kernel - 1L) * dilation > input - 1;
                if (left && !(inside > 0 && start + lo * dilation == 0)) total++;
                if (right && !(inside > 0 && start + hi * dilation == input - 1) && !(left && input == 1)) total++;
            }
            return total;
        }
        // Reflect and circular: the taps left of, inside and right of the input read three arithmetic progressions of
        // input indices with one step (the dilation); inclusion–exclusion counts their union in O(1) per output position.
        long n = input;
        for (long o = 0; o < output; o++)
        {
            long start = o * stride - before;
            var inside = Positions(start, 0, n - 1, kernel, dilation);
            var left = Positions(start, -n, -1, kernel, dilation);
            var right = Positions(start, n, 2 * n - 1, kernel, dilation);
            // Valid geometries keep pads below n (reflect) or at most n (circular): one reflection or one wrap lands inside.
            var (l, r) = mode == PaddingMode.Reflect
                ? (left.Map(p => -p), right.Map(p => 2 * (n - 1) - p))
                : (left.Map(p => p + n), right.Map(p => p - n));
            total += inside.Count(dilation) + l.Count(dilation) + r.Count(dilation)
                   - inside.Intersect(l, dilation).Count(dilation) - inside.Intersect(r, dilation).Count(dilation) - l.Intersect(r, dilation).Count(dilation)
                   + inside.Intersect(l, dilation).Intersect(r, dilation).Count(dilation);
        }
        return total;
    }

    /// <summary>The positions start + t·dilation in [low, high] over taps t in [0, kernel − 1]: a progression with step dilation.</summary>
    private static Progression Positions(long start, long low, long high, int kernel, int dilation)
    {
        long first = Math.Max(0, CeilDiv(low - start, dilation)), last = Math.Min(kernel - 1, FloorDiv(high - start, dilation));
        return first > last ? Progression.Empty : new Progression(start + first * dilation, start + last * dilation);
    }

    /// <summary>The integers First, First + step, …, Last for the step at hand; empty when Last &lt; First.</summary>
    private readonly record struct Progression(long First, long Last)
    {
        public static Progression Empty => new(0, -1);

        private bool IsEmpty => Last < First;

        public long Count(long step) => IsEmpty ? 0 : (Last - First) / step + 1;

        /// <summary>The image under p ↦ f(p) for f = ±p + c, which keeps the step.</summary>
        public Progression Map(Func<long, long> f) => IsEmpty ? Empty : new(Math.Min(f(First), f(Last)), Math.Max(f(First), f(Last)));

        /// <summary>Common elements of two progressions with the same step: none unless they agree modulo the step.</summary>
        public Progression Intersect(Progression other, long step)
        {
            if (IsEmpty || other.IsEmpty || (First - other.First) % step != 0) return Empty;
            long first = Math.Max(First, other.First), last = Math.Min(Last, other.Last);
            return first > last ? Empty : new(first, last);
        }
    }

    /// <summary>The taps t in [0, kernel − 1] with 0 ≤ start + t·dilation ≤ input − 1: one interval, empty when Last &lt; First.</summary>
    private static (long First, long Last) TapsInside(long start, int input, int kernel, int dilation) =>
        (Math.Max(0, CeilDiv(-start, dilation)), Math.Min(kernel - 1, FloorDiv(input - 1 - start, dilation)));

    private static long FloorDiv(long a, long b) => a >= 0 ? a / b : -((-a + b - 1) / b);

    private static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    public static SamplingMap Create(int input, int output, int kernel, int stride, int dilation, int before, PaddingMode mode)
    {
        var entryStart = new int[output + 1];
        // Only a capacity hint: output·min(kernel, input) can pass int32 when dilated taps mostly miss the input, while the map stays small.
        int capacity = (int)Math.Min((long)output * Math.Min(kernel, input), 1 << 16);
        var source = new List<int>(capacity);
        var tapStart = new List<int>(capacity + 1) { 0 };
        var taps = new List<int>(capacity);
        var pairs = new (int Source, int Tap)[kernel];
        for (int o = 0; o < output; o++)
        {
            long start = (long)o * stride - before;
            int n = 0;
            // With zero padding only the taps inside the input store anything: visit just those, so that widely
            // dilated kernels cost O(nnz), not O(output·kernel).
            var (first, last) = mode == PaddingMode.Zeros ? TapsInside(start, input, kernel, dilation) : (0, kernel - 1);
            for (int t = (int)first; t <= last; t++)
            {
                int s = SourceIndex(start + (long)t * dilation, input, mode);
                if (s >= 0) pairs[n++] = (s, t);
            }
            // Zero padding yields ascending, distinct sources already; the other modes may fold taps onto one index.
            Array.Sort(pairs, 0, n, Comparer<(int Source, int Tap)>.Default);
            for (int i = 0; i < n; i++)
            {
                if (i == 0 || pairs[i].Source != pairs[i - 1].Source)
                {
                    if (i > 0) tapStart.Add(taps.Count);
                    source.Add(pairs[i].Source);
                }
                taps.Add(pairs[i].Tap);
            }
            if (n > 0) tapStart.Add(taps.Count);
            entryStart[o + 1] = source.Count;
        }
        return new SamplingMap(output, entryStart, source.ToArray(), tapStart.ToArray(), taps.ToArray());
    }
}
