using System.Diagnostics;

namespace ConvAsMatrix.Benchmarks;

/// <summary>One timing of <c>convmat bench</c>: the median seconds of one operation on one workload.</summary>
/// <param name="Workload">W1, W2, ...</param>
/// <param name="Batch">Samples per call.</param>
/// <param name="Threads">The <see cref="Parallelism.MaxDegreeOfParallelism"/> used.</param>
/// <param name="Op"><c>compile</c> (V from the weight), <c>conv</c> (V·x for the batch) or <c>tconv</c> (Vᵀ·y for the batch).</param>
/// <param name="Seconds">Median wall-clock seconds of one call.</param>
/// <param name="Nnz">Entries of the explicit V (stored only by the csr form).</param>
/// <param name="Form"><c>structured</c> or <c>csr</c>: the form of V measured.</param>
public sealed record Measurement(string Workload, int Batch, int Threads, string Op, double Seconds, long Nnz, string Form);

/// <summary>
/// Quick timings of the library on a workload: a machine check in seconds, not a benchmark. The measured
/// suite with baselines is the BenchmarkDotNet project (tests/ConvAsMatrix.Benchmarks).
/// </summary>
public static class WorkloadTimer
{
    /// <summary>The operations measured, in order.</summary>
    public static IReadOnlyList<string> Operations { get; } = ["compile", "conv", "tconv"];

    /// <summary>
    /// Times compile, conv and tconv on <paramref name="workload"/>: one untimed warm-up call each (it also
    /// builds the compressed-column form tconv uses), then the median of <paramref name="repeats"/> calls.
    /// </summary>
    /// <param name="workload">What to run.</param>
    /// <param name="batch">Samples per conv/tconv call, at least 1.</param>
    /// <param name="threads">Threads the library may use, at least 1; restored afterwards.</param>
    /// <param name="repeats">Timed calls per operation, at least 1.</param>
    /// <param name="form">The form of V to compile and apply.</param>
    /// <exception cref="ArgumentException">A count is below 1, or the explicit V would not fit (see <see cref="ConvolutionMatrix{T}.Compile(ReadOnlySpan{T}, ConvGeometry, IProgress{double})"/>).</exception>
    public static IReadOnlyList<Measurement> Run(Workload workload, int batch, int threads, int repeats, MatrixForm form = MatrixForm.Structured)
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
            var weight = workload.Weight();
            Func<IConvolutionOperator<double>> compile = form == MatrixForm.Csr
                ? () => ConvolutionMatrix<double>.Compile(weight, geometry)
                : () => StructuredConvolution<double>.Compile(weight, geometry);
            var v = compile();
            double[] x = workload.Input(batch), y = workload.TransposeInput(batch);
            double[] vx = new double[y.Length], vty = new double[x.Length];
            string formName = form.ToString().ToLowerInvariant();
            Measurement Time(string op, Action call) =>
                new(workload.Name, batch, threads, op, Median(call, repeats), geometry.NonZeroCount, formName);
            return
            [
                Time("compile", () => compile()),
                Time("conv", () => v.Convolve(x, vx)),
                Time("tconv", () => v.ConvolveTranspose(y, vty)),
            ];
        }
        finally
        {
            Parallelism.MaxDegreeOfParallelism = saved;
        }
    }

    private static double Median(Action call, int repeats)
    {
        Collect();
        call();
        var seconds = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            Collect();
            long start = Stopwatch.GetTimestamp();
            call();
            seconds[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        return repeats % 2 == 1 ? seconds[repeats / 2] : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
    }

    /// <summary>
    /// Reclaims the previous call's garbage before the next timed call, as BenchmarkDotNet does between
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
