using System.Diagnostics;
using System.Globalization;
using ConvAsMatrix.Onnx;
using ConvAsMatrix.Solvers;
using ConvAsMatrix.Spectrum;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// The lower-bound table of docs/solvers.md: products with V until the eigen-residual ‖VᵀV·x − σ²x‖/σ² is at most
/// 1e-9, for power iteration (<see cref="SpectralNorm.Estimate(LinearOperator, double, int, int, CancellationToken)"/>) and for
/// Golub–Kahan–Lanczos (<see cref="LanczosNorm"/>), both from the same Gaussian start, on the structured V of W6 and of
/// an ONNX model's conv layers. Quality (products), with wall time for scale.
/// </summary>
internal static class NormIterations
{
    /// <summary>W6's certified interval at a width (default 1e-4), structured V: the figure docs/solvers.md quotes.</summary>
    public static void BoundW6(double width)
    {
        var w = Workload.Named("W6");
        var g = w.Geometry(1);
        var weight = w.Weight();
        var clock = Stopwatch.StartNew();
        var bound = SpectralNorm.Bound(StructuredConvolution<double>.Compile(weight, g), weight, width: width);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W6 width {width:G3}: {bound} (wall {clock.Elapsed.TotalSeconds:F2} s, process CPU {Environment.ProcessorCount} cores)"));
    }

    public static void Run(string[] args)
    {
        int cap = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3000;
        var cases = new List<(string Name, ConvGeometry Geometry, double[] Weight)>();
        if (args[0] == "W6")
        {
            var w = Workload.Named("W6");
            cases.Add(("W6", w.Geometry(1), w.Weight()));
        }
        else
        {
            var model = OnnxModel.ReadFile(args[0]);
            var shapes = OnnxRuntimeProbe.LayerInputShapes(model);
            for (int i = 0; i < model.Layers.Count; i++)
            {
                var shape = shapes[i].ToArray();
                shape[0] = 1;
                if (args.Length > 2 && !model.Layers[i].Name.Contains(args[2], StringComparison.Ordinal)) continue;
                cases.Add((model.Layers[i].Name, model.Layers[i].Geometry(shape), model.Layers[i].Weight.Data));
            }
        }
        Console.WriteLine("| layer | V | power: products | power: value | Lanczos: products | Lanczos: value | power s | Lanczos s |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, g, weight) in cases)
        {
            var a = LinearOperator.From(StructuredConvolution<double>.Compile(weight, g));
            var clock = Stopwatch.StartNew();
            var power = SpectralNorm.Estimate(a, 1e-9, cap);
            double powerSeconds = clock.Elapsed.TotalSeconds;
            var x = new double[a.ColumnCount];
            VectorMath.FillGaussian(new Random(0), x);
            SpectralNorm.Normalize(x);
            clock.Restart();
            var lanczos = LanczosNorm.Run(a, x, 1e-9, cap, _ => false, CancellationToken.None);
            double lanczosSeconds = clock.Elapsed.TotalSeconds;
            string Products(int n, SolverStatus s) => s == SolverStatus.Converged ? n.ToString(CultureInfo.InvariantCulture) : $">{n} ({s})";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {g.OutputLength} x {g.InputLength} | {Products(power.Iterations, power.Status)} | {power.Value:R} | {Products(lanczos.Products, lanczos.Status)} | {lanczos.Best:R} | {powerSeconds:F1} | {lanczosSeconds:F1} |"));
        }
    }
}
