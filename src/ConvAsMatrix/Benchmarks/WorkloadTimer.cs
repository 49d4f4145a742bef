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
        ArgumentNullException.ThrowIfNull(workload);
        Check.AtLeast(batch, 1, nameof(batch));
        Check.AtLeast(threads, 1, nameof(threads));
        Check.AtLeast(repeats, 1, nameof(repeats));
        int saved = Parallelism.MaxDegreeOfParallelism;
        Parallelism.MaxDegreeOfParallelism = threads;
        try
        {
            var geometry = workload.Geometry(batch);
            var weight = workload.Weight<T>();
            Func<IConvolutionOperator<T>> compile = form == MatrixForm.Csr
                ? () => ConvolutionMatrix<T>.Compile(weight, geometry)
                : () => StructuredConvolution<T>.Compile(weight, geometry);
            var v = compile();
            var path = (v as StructuredConvolution<T>)?.KernelPath;
            double? peak = path is null || peaks is null ? null : peaks.Of<T>(path) * Math.Min(threads, Environment.ProcessorCount);
            T[] x = workload.Input<T>(batch), y = workload.TransposeInput<T>(batch);
            T[] vx = new T[y.Length], vty = new T[x.Length];
            string formName = form.ToString().ToLowerInvariant(), dtype = DtypeName<T>();
            double flops = Flops(geometry);
            Measurement Time(string op, Action call, bool product)
            {
                // Only what allocates is timed after a collection: a product allocates nothing, and collecting before
                // it evicted its packed weight and buffers from the caches (W3 float32 read 1.0 ms against 0.66).
                double seconds = Median(call, repeats, collect: !product);
                double? gflops = product ? flops / seconds / 1e9 : null;
                return new(workload.Name, batch, threads, op, seconds, geometry.NonZeroCount, formName, path?.Name, dtype, gflops, gflops / peak);
            }
            var measurements = new List<Measurement>
            {
                Time("compile", () => compile(), product: false),
                Time("conv", () => v.Convolve(x, vx), product: true),
                Time("tconv", () => v.ConvolveTranspose(y, vty), product: true),
            };
            if (form == MatrixForm.Structured)
            {
                // The weight gradient Σ_n U(x_n)ᵀ·y_n, x on V's column side and y on its row side (for W2, the gradient of
                // the transposed convolution's output and its input): the same multiply-adds as V·x, on its own kernel path.
                var gradientPath = BlockedWeightGradient<T>.TryCreate(geometry)?.Path;
                double? gradientPeak = gradientPath is null || peaks is null ? null : peaks.Of<T>(gradientPath) * Math.Min(threads, Environment.ProcessorCount);
                var gw = new T[geometry.WeightLength];
                double seconds = Median(() => WeightGradient.Compute<T>(geometry, x, y, gw), repeats, collect: false);
                double gflops = flops / seconds / 1e9;
                measurements.Add(new(workload.Name, batch, threads, "wgrad", seconds, geometry.NonZeroCount, formName, gradientPath?.Name, dtype, gflops, gflops / gradientPeak));
            }
            return measurements;
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static double Median(Action call, int repeats, bool collect)
    {
        if (collect) Collect();
        call();
        var seconds = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            if (collect) Collect();
            long start = Stopwatch.GetTimestamp();
            call();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return repeats % 2 == 1 ? seconds[repeats / 2] : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
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
