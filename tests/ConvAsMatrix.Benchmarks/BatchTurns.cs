using System.Numerics;
using System.Runtime.InteropServices;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// <c>ConvAsMatrix.Benchmarks.dll batch-turns W dtype rounds</c>: the structured V's conv and tconv at batch 1, at
/// batch 16, and as 16 one-sample calls over the batch-16 arrays, one thread, timed in turns (one call of each case per
/// round) by the calling thread's CPU time. Prints per case the best and median share of the peak loop and, against
/// batch 1 of the same operation, the median over rounds of the two rates' ratio in one round: a shared machine's
/// speed changes within seconds, and cases timed seconds apart would compare two machines (docs/performance.md,
/// "Batch 1 against batch 16").
/// </summary>
internal static class BatchTurns
{
    private const int Batch = 16;

    public static void Run(string[] args)
    {
        if (args.Length != 3) throw new ArgumentException("usage: batch-turns W1..W6 float64|float32 rounds");
        var workload = Workload.Named(args[0]);
        int rounds = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
        Parallelism.MaxDegreeOfParallelism = 1;
        if (args[1] == "float32") Run<float>(workload, rounds);
        else Run<double>(workload, rounds);
    }

    private static void Run<T>(Workload workload, int rounds) where T : unmanaged, INumberBase<T>
    {
        var path = KernelPath.Best;
        double peak = Peak<T>(path);
        var one = StructuredConvolution<T>.Compile(workload.Weight<T>(), workload.Geometry(1));
        var batch = StructuredConvolution<T>.Compile(workload.Weight<T>(), workload.Geometry(Batch));
        T[] x1 = workload.Input<T>(1), y1 = workload.TransposeInput<T>(1), x = workload.Input<T>(Batch), y = workload.TransposeInput<T>(Batch);
        T[] vx1 = new T[y1.Length], vty1 = new T[x1.Length], vx = new T[y.Length], vty = new T[x.Length];
        int inLength = x1.Length, outLength = y1.Length;
        double flops = WorkloadTimer.Flops(workload.Geometry(1));
        var cases = new (string Name, Action Call, int Samples)[]
        {
            ("conv b1", () => one.Convolve(x1, vx1), 1),
            ("conv b16", () => batch.Convolve(x, vx), Batch),
            ("conv 16x1", () => { for (int n = 0; n < Batch; n++) one.Convolve(x.AsSpan(n * inLength, inLength), vx.AsSpan(n * outLength, outLength)); }, Batch),
            ("tconv b1", () => one.ConvolveTranspose(y1, vty1), 1),
            ("tconv b16", () => batch.ConvolveTranspose(y, vty), Batch),
            ("tconv 16x1", () => { for (int n = 0; n < Batch; n++) one.ConvolveTranspose(y.AsSpan(n * outLength, outLength), vty.AsSpan(n * inLength, inLength)); }, Batch),
        };
        // rate[case][round]: GFLOP/s of one call.
        var rate = new double[cases.Length][];
        for (int c = 0; c < cases.Length; c++) rate[c] = new double[rounds];
        foreach (var c in cases) c.Call();
        for (int r = 0; r < rounds; r++)
            for (int c = 0; c < cases.Length; c++)
            {
                double start = ThreadCpu.Seconds();
                cases[c].Call();
                rate[c][r] = flops * cases[c].Samples / (ThreadCpu.Seconds() - start) / 1e9;
            }
        Console.WriteLine($"{workload.Name} {WorkloadTimer.DtypeName<T>()} on {path.Name}: peak loop {peak:F1} GFLOP/s ({ThreadCpu.Clock}), {rounds} rounds in turns");
        for (int c = 0; c < cases.Length; c++)
        {
            int b1 = c / 3 * 3; // batch 1 of the same operation
            string ratio = c == b1 ? "" : FormattableString.Invariant(
                $"  /b1 in the same round: q25 {Quantile(Ratios(rate[c], rate[b1]), 0.25):F3} median {Quantile(Ratios(rate[c], rate[b1]), 0.5):F3} q75 {Quantile(Ratios(rate[c], rate[b1]), 0.75):F3}");
            Console.WriteLine(FormattableString.Invariant(
                $"  {cases[c].Name,-11} best {100 * rate[c].Max() / peak,3:F0}%  median {100 * Quantile(rate[c], 0.5) / peak,3:F0}%{ratio}"));
        }
    }

    private static double[] Ratios(double[] a, double[] b) => a.Zip(b, (p, q) => p / q).ToArray();

    private static double Quantile(double[] values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted[(int)Math.Round(q * (sorted.Length - 1))];
    }

    /// <summary>The peak loop's best rate over 30 runs of about 5 ms, by the same clock as the cases.</summary>
    private static double Peak<T>(KernelPath path) where T : unmanaged, INumberBase<T>
    {
        long multiplyAdds = PeakLoop.MultiplyAddsPerIteration<T>(path) * 200_000;
        PeakLoop.Run<T>(path, multiplyAdds);
        double best = double.MaxValue;
        for (int r = 0; r < 30; r++)
        {
            double start = ThreadCpu.Seconds();
            PeakLoop.Run<T>(path, multiplyAdds);
            best = Math.Min(best, ThreadCpu.Seconds() - start);
        }
        return 2.0 * multiplyAdds / best / 1e9;
    }

    /// <summary>
    /// The calling thread's CPU time on Linux (<c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>): with one thread, the
    /// call's own time, whatever else the machine runs meanwhile. Elsewhere the process's (<see cref="Environment.CpuUsage"/>).
    /// </summary>
    private static class ThreadCpu
    {
        private const int ClockThreadCpuTimeId = 3;

        public static string Clock => OperatingSystem.IsLinux() ? "thread CPU time" : "process CPU time";

        public static double Seconds()
        {
            if (!OperatingSystem.IsLinux()) return Environment.CpuUsage.TotalTime.TotalSeconds;
            _ = clock_gettime(ClockThreadCpuTimeId, out var t);
            return t.Seconds + t.Nanoseconds * 1e-9;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct TimeSpec
        {
            public long Seconds;
            public long Nanoseconds;
        }

        [DllImport("libc", SetLastError = false)]
        private static extern int clock_gettime(int clock, out TimeSpec time);
    }
}
