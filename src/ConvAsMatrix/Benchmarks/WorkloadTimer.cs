using System.Diagnostics;
using System.Numerics;

namespace ConvAsMatrix.Benchmarks;

/// <summary>One timing of <c>convmat bench</c>: the median seconds of one operation on one workload.</summary>
/// <param name="Workload">W1, W2, ...</param>
/// <param name="Batch">Samples per call.</param>
/// <param name="Threads">The <see cref="Parallelism.MaxDegreeOfParallelism"/> used.</param>
/// <param name="Op"><c>compile</c> (V from the weight), <c>conv</c> (V·x for the batch), <c>tconv</c> (Vᵀ·y for the batch) or
/// <c>wgrad</c> (the weight gradient Σ_n U(x_n)ᵀ·y_n of the batch; structured form only).</param>
/// <param name="Seconds">Median wall-clock seconds of one call.</param>
/// <param name="Nnz">Entries of the explicit V (stored only by the csr form).</param>
/// <param name="Form"><c>structured</c> or <c>csr</c>: the form of V measured.</param>
/// <param name="Isa">The <see cref="KernelPath.Name"/> the operator ran (<c>avx2+fma</c>, ...); null where it runs none
/// (the csr form, whose kernels are Vector&lt;T&gt; ones, and the structured V's generic path).</param>
/// <param name="Dtype"><c>float64</c> or <c>float32</c>.</param>
/// <param name="Gflops">conv/tconv: <see cref="WorkloadTimer.Flops"/> of the batch / <see cref="Seconds"/> / 10⁹; null for compile.</param>
/// <param name="PeakFraction">conv/tconv on a <see cref="KernelPath"/>: <see cref="Gflops"/> over the peak loop of the same
/// path and dtype measured in the same run (<see cref="PeakRates"/>), times the cores used (min(threads, cores)); else null.</param>
public sealed record Measurement(string Workload, int Batch, int Threads, string Op, double Seconds, long Nnz, string Form,
    string? Isa, string Dtype, double? Gflops, double? PeakFraction);

/// <summary>
/// The peak loop's rate (<see cref="PeakLoop.GigaFlops{T}"/>) per path and element type, measured once on first use:
/// one instance per run, so that every measurement of the run is set against the same peak.
/// </summary>
public sealed class PeakRates
{
    private readonly Dictionary<(Type, KernelPath), double> rates = [];

    /// <summary>GFLOP/s of the one-thread peak loop of <typeparamref name="T"/> on <paramref name="path"/>.</summary>
    public double Of<T>(KernelPath path) where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!rates.TryGetValue((typeof(T), path), out double rate))
            rates[(typeof(T), path)] = rate = PeakLoop.GigaFlops<T>(path);
        return rate;
    }
}

/// <summary>
/// Quick timings of the library on a workload: a machine check in seconds, not a benchmark. The measured
/// suite with baselines is the BenchmarkDotNet project (tests/ConvAsMatrix.Benchmarks).
/// </summary>
public static class WorkloadTimer
{
    /// <summary>The operations measured, in order.</summary>
    public static IReadOnlyList<string> Operations { get; } = ["compile", "conv", "tconv", "wgrad"];

    /// <summary><c>float64</c> or <c>float32</c> (NumPy's and ONNX's names), the element type's name otherwise.</summary>
    public static string DtypeName<T>() =>
        typeof(T) == typeof(double) ? "float64" : typeof(T) == typeof(float) ? "float32" : typeof(T).Name;

    /// <summary>
    /// Nominal floating-point operations of one V·x over <paramref name="geometry"/>'s batch, equally of one Vᵀ·y:
    /// 2 per multiply-add, multiply-adds = output elements × (C_in / groups) × taps (∏k), so 2·N·C_out·(C_in/groups)·∏k·∏out.
    /// The transposed product performs the same multiply-adds, and the count is the one PyTorch's im2col + GEMM and
    /// ONNX Runtime perform (taps in the zero padding included).
    /// </summary>
    public static double Flops(ConvGeometry geometry)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        double outputs = (double)geometry.Batch * geometry.OutputLength;
        double taps = geometry.KernelSize.Aggregate(1.0, (p, k) => p * k);
        return 2.0 * outputs * (geometry.InChannels / geometry.Groups) * taps;
    }

    /// <summary>
    /// Times compile, conv, tconv and (structured form) wgrad on <paramref name="workload"/> in <typeparamref name="T"/>: one untimed warm-up
    /// call each (it also builds the compressed-column form tconv uses), then the median of <paramref name="repeats"/> calls.
    /// </summary>
    /// <typeparam name="T">double or float (any element type V supports runs, without a kernel path or peak).</typeparam>
    /// <param name="workload">What to run.</param>
    /// <param name="batch">Samples per conv/tconv call, at least 1.</param>
    /// <param name="threads">Threads the library may use, at least 1; restored afterwards.</param>
    /// <param name="repeats">Timed calls per operation, at least 1.</param>
    /// <param name="form">The form of V to compile and apply.</param>
    /// <param name="peaks">The run's peak-loop rates, for <see cref="Measurement.PeakFraction"/>; null leaves it null.</param>
    /// <exception cref="ArgumentException">A count is below 1, or the explicit V would not fit (see <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/>).</exception>
    public static IReadOnlyList<Measurement> Run<T>(Workload workload, int batch, int threads, int repeats, MatrixForm form = MatrixForm.Structured, PeakRates? peaks = null)
        where T : unmanaged, INumberBase<T>
    {
        Check.AtLeast(batch, 1, nameof(batch));
        return RunBatches<T>(workload, [batch], threads, repeats, form, peaks);
    }

    /// <summary>
    /// <see cref="Run{T}"/> for several batch sizes at once, each operation's timed calls taken in turns across the
    /// batch sizes (call r of every batch size, then call r + 1 of every batch size), so that the batch sizes of one
    /// operation are measured over the same stretch of time.
    /// </summary>
    /// <remarks>
    /// Measured one batch size after the other, the seconds between them were enough for a shared machine to change
    /// state: on a 2-vCPU AMD EPYC (Zen 3) VM the same kernel ran at about 55% or about 85% of its peak loop from one
    /// half-second to the next, and batch 16 read from 0.72 to 1.46 times batch 1's rate per sample (W2, W3, W5, W6),
    /// where calls taken in turns gave 0.77–1.16 (docs/performance.md, "Batch 1 against batch 16").
    /// </remarks>
    /// <typeparam name="T">double or float (any element type V supports runs, without a kernel path or peak).</typeparam>
    /// <param name="workload">What to run.</param>
    /// <param name="batches">Samples per conv/tconv call, each at least 1; at least one.</param>
    /// <param name="threads">Threads the library may use, at least 1; restored afterwards.</param>
    /// <param name="repeats">Timed calls per operation and batch size, at least 1.</param>
    /// <param name="form">The form of V to compile and apply.</param>
    /// <param name="peaks">The run's peak-loop rates, for <see cref="Measurement.PeakFraction"/>; null leaves it null.</param>
    /// <returns>The measurements of <see cref="Run{T}"/> for each batch size, in the order of <paramref name="batches"/>.</returns>
    /// <exception cref="ArgumentException">A count is below 1, <paramref name="batches"/> is empty, or the explicit V would not fit (see <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/>).</exception>
    public static IReadOnlyList<Measurement> RunBatches<T>(Workload workload, IReadOnlyList<int> batches, int threads, int repeats, MatrixForm form = MatrixForm.Structured, PeakRates? peaks = null)
        where T : unmanaged, INumberBase<T>
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) throw new ArgumentException("batches must name at least one batch size", nameof(batches));
        foreach (int batch in batches) Check.AtLeast(batch, 1, nameof(batches));
        Check.AtLeast(threads, 1, nameof(threads));
        Check.AtLeast(repeats, 1, nameof(repeats));
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
        try
        {
            var runs = batches.Select(b => new BatchRun<T>(workload, b, threads, form, peaks)).ToArray();
            // Only what allocates is timed after a collection: a product allocates nothing, and collecting before
            // it evicted its packed weight and buffers from the caches (W3 float32 read 1.0 ms against 0.66).
            var compile = Medians(runs.Select(r => (Action)(() => r.Compile())).ToArray(), repeats, collect: true);
            var conv = Medians(runs.Select(r => (Action)r.Convolve).ToArray(), repeats, collect: false);
            var tconv = Medians(runs.Select(r => (Action)r.ConvolveTranspose).ToArray(), repeats, collect: false);
            var wgrad = form == MatrixForm.Structured ? Medians(runs.Select(r => (Action)r.ComputeWeightGradient).ToArray(), repeats, collect: false) : null;
            var measurements = new List<Measurement>();
            for (int i = 0; i < runs.Length; i++)
            {
                measurements.Add(runs[i].Measure("compile", compile[i]));
                measurements.Add(runs[i].Measure("conv", conv[i]));
                measurements.Add(runs[i].Measure("tconv", tconv[i]));
                if (wgrad is not null) measurements.Add(runs[i].Measure("wgrad", wgrad[i]));
            }
            return measurements;
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    /// <summary>The operator, data and peak of one batch size of <see cref="RunBatches{T}"/>.</summary>
    private sealed class BatchRun<T> where T : unmanaged, INumberBase<T>
    {
        private readonly Workload workload;
        private readonly ConvGeometry geometry;
        private readonly Func<IConvolutionOperator<T>> compile;
        private readonly IConvolutionOperator<T> v;
        private readonly T[] x, y, vx, vty, gw;
        private readonly KernelPath? path, gradientPath;
        private readonly double? peak, gradientPeak;
        private readonly int threads;
        private readonly string formName;

        public BatchRun(Workload workload, int batch, int threads, MatrixForm form, PeakRates? peaks)
        {
            (this.workload, this.threads) = (workload, threads);
            geometry = workload.Geometry(batch);
            var weight = workload.Weight<T>();
            compile = form == MatrixForm.Csr
                ? () => ConvolutionMatrix<T>.Compile(weight, geometry)
                : () => StructuredConvolution<T>.Compile(weight, geometry);
            v = compile();
            path = (v as StructuredConvolution<T>)?.KernelPath;
            peak = PeakOf(path, peaks);
            x = workload.Input<T>(batch);
            y = workload.TransposeInput<T>(batch);
            (vx, vty) = (new T[y.Length], new T[x.Length]);
            formName = form.ToString().ToLowerInvariant();
            // The weight gradient Σ_n U(x_n)ᵀ·y_n, x on V's column side and y on its row side (for W2, the gradient of
            // the transposed convolution's output and its input): the same multiply-adds as V·x, on its own kernel path.
            gw = form == MatrixForm.Structured ? new T[geometry.WeightLength] : [];
            gradientPath = form == MatrixForm.Structured ? BlockedWeightGradient<T>.TryCreate(geometry)?.Path : null;
            gradientPeak = PeakOf(gradientPath, peaks);
        }

        private double? PeakOf(KernelPath? kernelPath, PeakRates? peaks) =>
            kernelPath is null || peaks is null ? null : peaks.Of<T>(kernelPath) * Math.Min(threads, Environment.ProcessorCount);

        public IConvolutionOperator<T> Compile() => compile();

        public void Convolve() => v.Convolve(x, vx);

        public void ConvolveTranspose() => v.ConvolveTranspose(y, vty);

        public void ComputeWeightGradient() => WeightGradient.Compute<T>(geometry, x, y, gw);

        /// <summary>The measurement of <paramref name="op"/> from its median seconds; compile carries no rate.</summary>
        public Measurement Measure(string op, double seconds)
        {
            bool product = op != "compile";
            double? gflops = product ? Flops(geometry) / seconds / 1e9 : null;
            var (isa, against) = op == "wgrad" ? (gradientPath, gradientPeak) : (path, peak);
            return new(workload.Name, geometry.Batch, threads, op, seconds, geometry.NonZeroCount, formName, isa?.Name,
                DtypeName<T>(), gflops, gflops / against);
        }
    }

    /// <summary>
    /// The median seconds of each of <paramref name="calls"/>: one untimed warm-up each, then <paramref name="repeats"/>
    /// rounds that time every call once, in order (after a collection each when <paramref name="collect"/>).
    /// </summary>
    internal static double[] Medians(IReadOnlyList<Action> calls, int repeats, bool collect)
    {
        if (collect) Collect();
        foreach (var call in calls) call();
        var seconds = new double[calls.Count][];
        for (int i = 0; i < calls.Count; i++) seconds[i] = new double[repeats];
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < calls.Count; i++)
            {
                if (collect) Collect();
                long start = Stopwatch.GetTimestamp();
                calls[i]();
                seconds[i][r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        return seconds.Select(Median).ToArray();
    }

    private static double Median(double[] seconds)
    {
        Array.Sort(seconds);
        int n = seconds.Length;
        return n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    }

    /// <summary>
    /// Reclaims the previous call's garbage before the next timed compile, as BenchmarkDotNet does between
    /// iterations. Without it every timed compile of a large V got fresh memory from the OS while the last V's
    /// was still unreclaimed, and paid first-touch page faults for all of it: on this VM 0.15–0.9 s per 260 MB,
    /// which made W2's one-thread compile read 1.02 s against 74 ms under BenchmarkDotNet. After a collection
    /// the new V lands in the memory the old one held, so what is timed is the compile itself.
    /// </summary>
    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
