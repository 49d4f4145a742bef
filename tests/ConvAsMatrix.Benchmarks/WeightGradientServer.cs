using System.Diagnostics;
using System.Text.Json;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// <c>ConvAsMatrix.Benchmarks.dll wgrad-serve</c>: the C# side of wgrad_interleaved.py, which times PyTorch's weight
/// gradient in its own process and this one's in turn, case by case, so that both sides of a ratio are measured
/// seconds apart on a shared machine. Reads one request a line from stdin and answers one JSON line on stdout:
/// <c>W3 float64 16 5</c> → the median wall and CPU seconds of 5 calls of the weight gradient (after one warm-up, one
/// thread, the data of <see cref="WeightGradientBenchmarks"/>), the kernel path and the flops; <c>peak float64</c> →
/// the peak loop's GFLOP/s on <see cref="KernelPath.Best"/> (<see cref="PeakLoop.GigaFlops{T}"/>).
/// </summary>
internal static class WeightGradientServer
{
    public static void Run()
    {
        Parallelism.MaxDegreeOfParallelism = 1;
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            object answer = words[0] == "peak"
                ? new { isa = KernelPath.Best.Name, gflops = words[1] == "float32" ? PeakLoop.GigaFlops<float>(KernelPath.Best) : PeakLoop.GigaFlops<double>(KernelPath.Best) }
                : words[1] == "float32" ? Time<float>(words[0], int.Parse(words[2]), int.Parse(words[3])) : Time<double>(words[0], int.Parse(words[2]), int.Parse(words[3]));
            Console.WriteLine(JsonSerializer.Serialize(answer));
        }
    }

    private static object Time<T>(string name, int batch, int repeats) where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var w = Workload.Named(name);
        var g = w.Geometry(batch);
        T[] x = w.Input<T>(batch), y = w.TransposeInput<T>(batch), gw = new T[g.WeightLength];
        var process = Process.GetCurrentProcess();
        WeightGradient.Compute<T>(g, x, y, gw);
        var wall = new double[repeats];
        var cpu = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            long start = Stopwatch.GetTimestamp();
            WeightGradient.Compute<T>(g, x, y, gw);
            wall[r] = Stopwatch.GetElapsedTime(start).TotalSeconds;
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        }
        return new { seconds = Median(wall), cpu_seconds = Median(cpu), isa = BlockedWeightGradient<T>.TryCreate(g)?.Path.Name, flops = WorkloadTimer.Flops(g) };
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }
}
