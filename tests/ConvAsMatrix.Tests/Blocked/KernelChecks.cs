using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using ConvAsMatrix.Tests.Properties;

namespace ConvAsMatrix.Tests.Blocked;

/// <summary>
/// The kernel checks, for any <see cref="KernelPath"/>, written without xunit: the xunit kernel tests
/// (<see cref="BlockedProperties"/>, <see cref="BlockedBoundaryTests"/>, …) and the ARM64 console check
/// (tests/ConvAsMatrix.KernelCheck, which links this file) run the same comparisons with the same tolerances.
/// Each check returns null when every path passes, else one line per failing path naming the path, the element
/// type, the direction and the first element that differs.
/// </summary>
internal static class KernelChecks
{
    /// <summary>The register files the tiles are sized for: 16 gives the 4×3 tile, 32 the 4×6 tile.</summary>
    private static readonly int[] TileRegisters = [16, 32];

    /// <summary>
    /// Every path this process runs natively: each width of <see cref="KernelPath.Supported"/> (the widest, what a
    /// compile chooses, down to scalar), each with both tile shapes.
    /// </summary>
    public static KernelPath[] Native { get; } =
        KernelPath.Supported().SelectMany(p => TileRegisters.Select(r => KernelPath.Create(p.VectorBits, r))).ToArray();

    /// <summary>
    /// The widths this process does not accelerate, which .NET emulates (512 on AVX2, 256 and 512 on ARM64, every
    /// width with <c>DOTNET_EnableHWIntrinsic=0</c>), each with both tile shapes: correct but slow, so tests give them
    /// few cases. Empty on an AVX-512 machine.
    /// </summary>
    public static KernelPath[] Emulated { get; } = new[] { 512, 256, 128 }
        .Where(bits => KernelPath.Supported().All(p => p.VectorBits != bits))
        .SelectMany(bits => TileRegisters.Select(r => KernelPath.Create(bits, r))).ToArray();

    /// <summary>
    /// The environment variable that names the path this process must compile (<c>avx2+fma</c>, …): set by
    /// tests/kernel-paths.sh with each of the runtime's knobs, unset in a normal run.
    /// </summary>
    public const string ExpectVariable = "CONVMAT_EXPECT_KERNEL_PATH";

    /// <summary>What disagrees with <paramref name="expected"/>: Best's name, the path compiled StructuredConvolutions of double and float report, and the weight-gradient kernels' path.</summary>
    public static string? PathMismatches(string expected)
    {
        var g = ConvGeometry.ForConv([1, 3, 8, 8], [4, 3, 3, 3], new ConvOptions { Padding = 1 });
        var found = new (string What, string? Name)[]
        {
            ("KernelPath.Best", KernelPath.Best.Name),
            ("StructuredConvolution<double>.KernelPath", StructuredConvolution<double>.Compile(new double[g.WeightLength], g).KernelPath?.Name),
            ("StructuredConvolution<float>.KernelPath", StructuredConvolution<float>.Compile(new float[g.WeightLength], g).KernelPath?.Name),
            ("BlockedWeightGradient<double>.Path", BlockedWeightGradient<double>.TryCreate(g)?.Path.Name),
            ("BlockedWeightGradient<float>.Path", BlockedWeightGradient<float>.TryCreate(g)?.Path.Name),
        };
        var wrong = found.Where(f => f.Name != expected).Select(f => $"{f.What} is {f.Name ?? "null"}").ToList();
        return wrong.Count == 0 ? null : $"{ExpectVariable}={expected}, but {string.Join("; ", wrong)}";
    }

    /// <summary>
    /// Best against the runtime's flags: the widest of Vector512/256/128 that is hardware-accelerated (else scalar);
    /// FMA with AVX-512, with x64's FMA3 for the narrower widths, always on ARM64 (AdvSimd); tiles for 32 registers
    /// with AVX-512 or ARM64's NEON, else 16. Supported() lists every accelerated width, widest (Best) first, then scalar.
    /// </summary>
    public static string? PathInconsistencies()
    {
        int bits = Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : Vector128.IsHardwareAccelerated ? 128 : 0;
        bool fma = bits == 512 || Fma.IsSupported || AdvSimd.IsSupported;
        int registers = bits > 0 && (Avx512F.IsSupported || AdvSimd.IsSupported) ? 32 : 16;
        string name = bits switch { 512 => "avx512", 256 => "avx2", 128 => "vector128", _ => "scalar" } + (fma ? "+fma" : "");
        var problems = new List<string>();
        var best = KernelPath.Best;
        if ((best.Name, best.VectorBits, best.FusedMultiplyAdd, best.VectorRegisters) != (name, bits, fma, registers))
            problems.Add($"Best is {best.Name} ({best.VectorBits} bits, {best.VectorRegisters} registers); the runtime's flags give {name} ({bits} bits, {registers} registers)");
        var widths = KernelPath.Supported().Select(p => p.VectorBits).ToArray();
        int[] accelerated = [.. new[] { (512, Vector512.IsHardwareAccelerated), (256, Vector256.IsHardwareAccelerated), (128, Vector128.IsHardwareAccelerated) }
            .Where(w => w.Item2).Select(w => w.Item1), 0];
        if (!widths.SequenceEqual(accelerated))
            problems.Add($"Supported() widths are {string.Join(", ", widths)}; accelerated (then scalar): {string.Join(", ", accelerated)}");
        if (KernelPath.Supported()[0] != best) problems.Add($"Supported()[0] is {KernelPath.Supported()[0].Name}, not Best");
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    /// <summary><c>avx2+fma/16</c>: the path's name and the register file its tile is sized for.</summary>
    public static string Label(KernelPath path) => $"{path.Name}/{path.VectorRegisters}";

    /// <summary>Null when <paramref name="check"/> passes on every path, else its failures, one a line, each labelled with its path.</summary>
    public static string? OnEvery(IEnumerable<KernelPath> paths, Func<KernelPath, string?> check)
    {
        var failures = paths.Select(p => check(p) is { } failure ? $"{Label(p)}: {failure}" : null).OfType<string>().ToList();
        return failures.Count == 0 ? null : string.Join(Environment.NewLine, failures);
    }

    /// <summary>
    /// V·x of <paramref name="s"/>'s small-integer data through the kernels of every path, double and float, against
    /// the direct correlation loops in long (src/ConvAsMatrix/Reference). Every product and partial sum is exact in both
    /// types, so the kernels must agree to the last bit. With <paramref name="structured"/>, through the
    /// StructuredConvolution compiled on each path (which hands double and float to those kernels) instead.
    /// </summary>
    public static string? ExactForward(GeometrySpec s, IEnumerable<KernelPath> paths, bool structured = false) => Exact(s, paths, structured, adjoint: false);

    /// <summary>Vᵀ·y likewise, against the direct scatter loops (PyTorch's conv_transpose) in long.</summary>
    public static string? ExactAdjoint(GeometrySpec s, IEnumerable<KernelPath> paths, bool structured = false) => Exact(s, paths, structured, adjoint: true);

    private static string? Exact(GeometrySpec s, IEnumerable<KernelPath> paths, bool structured, bool adjoint)
    {
        var g = s.Build();
        var (x, w, y) = s.Data();
        var expected = new long[g.Batch * (adjoint ? g.InputLength : g.OutputLength)];
        if (adjoint) DirectScatter.Apply<long>(g, y, w, expected);
        else DirectCorrelation.Apply<long>(g, x, w, expected);
        var input = adjoint ? y : x;
        string what = adjoint ? "adjoint" : "forward";
        return OnEvery(paths, path =>
            FirstDifference($"double {what}", expected, Product<double>(g, input, w, path, structured, adjoint))
            ?? FirstDifference($"float {what}", expected, Product<float>(g, input, w, path, structured, adjoint)));
    }

    /// <summary>
    /// V·x (or, <paramref name="adjoint"/>, Vᵀ·y) of the whole batch through the kernel of element type T on
    /// <paramref name="path"/> (or the structured V compiled on it), into an output pre-filled with garbage, back as long.
    /// </summary>
    internal static long[] Product<T>(ConvGeometry g, long[] input, long[] w, KernelPath path, bool structured, bool adjoint) where T : struct, INumber<T>
    {
        var output = Garbage<T>(g.Batch * (adjoint ? g.InputLength : g.OutputLength));
        T[] weight = Convert<T>(w), data = Convert<T>(input);
        if (structured)
        {
            var v = Structured<T>(g, weight, path);
            if (adjoint) v.ConvolveTranspose(data, output);
            else v.Convolve(data, output);
        }
        else
        {
            var kernel = Kernel<T>(g, weight, path);
            if (adjoint) kernel.Adjoint(data, output, g.Batch);
            else kernel.Forward(data, output, g.Batch);
        }
        return output.Select(long.CreateChecked).ToArray();
    }

    /// <summary>The blocked kernel of <paramref name="g"/> on <paramref name="path"/>; throws if there is none or it runs another path.</summary>
    private static BlockedConvolution<T> Kernel<T>(ConvGeometry g, T[] w, KernelPath path)
    {
        var kernel = BlockedConvolution<T>.TryCreate(g, w, path)
            ?? throw new InvalidOperationException($"no blocked {typeof(T).Name} kernel for {g}");
        if (kernel.Path != path) throw new InvalidOperationException($"asked for {Label(path)}, the kernel runs {Label(kernel.Path)}");
        return kernel;
    }

    /// <summary>The structured V of <paramref name="g"/> compiled on <paramref name="path"/>; throws if its products take another path.</summary>
    private static StructuredConvolution<T> Structured<T>(ConvGeometry g, T[] w, KernelPath path) where T : INumber<T>
    {
        var v = StructuredConvolution<T>.Compile(w, g, path);
        if (v.KernelPath != path) throw new InvalidOperationException($"asked for {Label(path)}, the structured V runs {v.KernelPath?.ToString() ?? "the generic path"}");
        return v;
    }

    /// <summary>
    /// The weight gradient Σ_n U(x_n)ᵀ·y_n of <paramref name="s"/>'s small-integer data (x on V's column side, y on its row
    /// side: for a conv_transpose spec, the gradient of its output and its input, as Functional.ConvTransposeWeightGrad
    /// passes them) through the blocked kernel of every path, double and float, against DirectWeightGradient in long.
    /// Every product and partial sum is an integer far below 2^24, exact in both types, so they must agree to the last bit.
    /// </summary>
    public static string? ExactWeightGradient(GeometrySpec s, IEnumerable<KernelPath> paths)
    {
        var g = s.Build();
        var (x, _, y) = s.Data();
        var expected = new long[g.WeightLength];
        DirectWeightGradient.Apply<long>(g, x, y, expected);
        return OnEvery(paths, path => OnBothVectorisations(vectorise =>
            FirstDifference("double weight gradient", expected, WeightGradientOf(g, Convert<double>(x), Convert<double>(y), path, vectorise).Select(v => (long)v).ToArray())
            ?? FirstDifference("float weight gradient", expected, WeightGradientOf(g, Convert<float>(x), Convert<float>(y), path, vectorise).Select(v => (long)v).ToArray())));
    }

    /// <summary>A weight-gradient check on both kernels, vectors along the positions and along the columns, whichever TryCreate would choose.</summary>
    internal static string? OnBothVectorisations(Func<WeightGradientVectors, string?> check)
    {
        var failures = Enum.GetValues<WeightGradientVectors>().Select(v => check(v) is { } failure ? $"vectors along {v}: {failure}" : null).OfType<string>().ToList();
        return failures.Count == 0 ? null : string.Join(Environment.NewLine, failures);
    }

    /// <summary>The weight gradient of the whole batch by the blocked kernel of <paramref name="path"/>, into a gradient pre-filled with garbage; throws if there is no kernel or it runs another path.</summary>
    internal static T[] WeightGradientOf<T>(ConvGeometry g, T[] columnSide, T[] rowSide, KernelPath path, WeightGradientVectors vectorise) where T : INumber<T>
    {
        var kernel = BlockedWeightGradient<T>.TryCreate(g, path, vectorise)
            ?? throw new InvalidOperationException($"no blocked {typeof(T).Name} weight-gradient kernel for {g}");
        if (kernel.Path != path) throw new InvalidOperationException($"asked for {Label(path)}, the kernel runs {Label(kernel.Path)}");
        var gw = Garbage<T>(g.WeightLength);
        kernel.Compute(columnSide, rowSide, gw, g.Batch);
        return gw;
    }

    /// <summary>
    /// The weight gradient of random real data in [−1, 1) through the blocked kernel of every path, double and float,
    /// against DirectWeightGradient run in double on the same (for float, rounded) data.
    /// </summary>
    /// <remarks>
    /// Tolerance: each element is a sum of m = N·(∏out + out0·out1·width) products at most (the positions, and the zero
    /// products of the vectors that run past a row's end), in another order and with fused multiply-adds, so
    /// |kernel − reference| ≤ 2·m·u·Σ|y|·|x| per element (Higham, §3.1), u the kernel type's unit roundoff; the bound
    /// Σ|y|·|x| is DirectWeightGradient of the absolute values.
    /// </remarks>
    public static string? BoundedWeightGradient(ConvGeometry g, IEnumerable<KernelPath> paths)
    {
        var all = paths.ToArray();
        var failures = new[] { BoundedWeightGradient<double>(g, all, Math.Pow(2, -53)), BoundedWeightGradient<float>(g, all, Math.Pow(2, -24)) };
        return failures.Any(f => f is not null) ? string.Join(Environment.NewLine, failures.OfType<string>()) : null;
    }

    private static string? BoundedWeightGradient<T>(ConvGeometry g, KernelPath[] paths, double unitRoundoff) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(g.InputLength * 17 + g.OutputLength ^ g.Batch);
        var x = Values(random, g.Batch * g.InputLength).Select(T.CreateTruncating).ToArray();
        var y = Values(random, g.Batch * g.OutputLength).Select(T.CreateTruncating).ToArray();
        double[] xd = x.Select(double.CreateChecked).ToArray(), yd = y.Select(double.CreateChecked).ToArray();
        double[] expected = new double[g.WeightLength], bound = new double[g.WeightLength];
        DirectWeightGradient.Apply<double>(g, xd, yd, expected);
        DirectWeightGradient.Apply<double>(g, xd.Select(Math.Abs).ToArray(), yd.Select(Math.Abs).ToArray(), bound);
        var o = ConvGeometry.Pad3(g.OutputSize, 1);
        return OnEvery(paths, path => OnBothVectorisations(vectorise =>
        {
            double terms = (double)g.Batch * (o[0] * o[1] * o[2] + o[0] * o[1] * path.Lanes<T>());
            var gw = WeightGradientOf(g, x, y, path, vectorise);
            for (int i = 0; i < gw.Length; i++)
            {
                double error = Math.Abs(double.CreateChecked(gw[i]) - expected[i]), allowed = 2 * terms * unitRoundoff * bound[i] + 1e-300;
                if (!(error <= allowed))
                    return $"{typeof(T).Name} weight gradient element {i} of {gw.Length}: {gw[i]} vs the reference {expected[i]} (allowed {allowed:E2}); {g}";
            }
            return null;
        }));
    }

    private static string? FirstDifference(string what, long[] expected, long[] actual)
    {
        for (int i = 0; i < expected.Length; i++)
            if (expected[i] != actual[i]) return $"{what} element {i} of {expected.Length}: {actual[i]}, the reference {expected[i]}";
        return null;
    }

    /// <summary>
    /// Forward and adjoint of the first <paramref name="samples"/> samples of random real data in [−1, 1) through the
    /// kernels of every path, double and float, against the explicit CSR V and Vᵀ sample by sample.
    /// </summary>
    /// <remarks>
    /// Tolerance: each output is a sum of at most m = C_in/groups·∏k + 1 products (folded taps add into one entry of V
    /// first), summed in another order and with fused multiply-adds, so |kernel − V·x| ≤ 2·m·u·(|V|·|x|) per element
    /// (Higham, Accuracy and Stability, §3.1), with u the unit roundoff; |V| is compiled from |w|.
    /// </remarks>
    public static string? Bounded(ConvGeometry g, int samples, IEnumerable<KernelPath> paths)
    {
        var all = paths.ToArray();
        var failures = new[] { Bounded<double>(g, samples, all, Math.Pow(2, -53)), Bounded<float>(g, samples, all, Math.Pow(2, -24)) };
        return failures.Any(f => f is not null) ? string.Join(Environment.NewLine, failures.OfType<string>()) : null;
    }

    private static string? Bounded<T>(ConvGeometry g, int samples, KernelPath[] paths, double unitRoundoff) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var random = new Random(g.InputLength * 31 + g.OutputLength ^ samples);
        var w = Values(random, g.WeightLength).Select(T.CreateChecked).ToArray();
        var x = Values(random, samples * g.InputLength).Select(T.CreateChecked).ToArray();
        var y = Values(random, samples * g.OutputLength).Select(T.CreateChecked).ToArray();
        var v = ConvolutionMatrix<T>.Compile(w, g);
        var vAbs = ConvolutionMatrix<T>.Compile(w.Select(T.Abs).ToArray(), g);
        var forward = Reference(x, samples, g.InputLength, g.OutputLength, (a, b) => v.Multiply(a, b), (a, b) => vAbs.Multiply(a, b));
        var adjoint = Reference(y, samples, g.OutputLength, g.InputLength, (a, b) => v.TransposeMultiply(a, b), (a, b) => vAbs.TransposeMultiply(a, b));
        double allowance = 2 * ((double)g.WeightLength / g.OutChannels + 1) * unitRoundoff;
        string type = typeof(T).Name;
        return OnEvery(paths, path =>
        {
            var kernel = Kernel<T>(g, w, path);
            var f = Garbage<T>(samples * g.OutputLength);
            kernel.Forward(x, f, samples);
            var a = Garbage<T>(samples * g.InputLength);
            kernel.Adjoint(y, a, samples);
            return WithinBound($"{type} forward", f, forward, g.OutputLength, allowance, g)
                ?? WithinBound($"{type} adjoint", a, adjoint, g.InputLength, allowance, g);
        });
    }

    private delegate void LinearMap<T>(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>The product and its bound |V|·|input|, sample by sample.</summary>
    private static (T[] Expected, T[] Bound) Reference<T>(T[] input, int samples, int inLength, int outLength, LinearMap<T> product, LinearMap<T> absProduct)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var expected = new T[samples * outLength];
        var bound = new T[samples * outLength];
        var abs = input.Select(T.Abs).ToArray();
        for (int n = 0; n < samples; n++)
        {
            product(input.AsSpan(n * inLength, inLength), expected.AsSpan(n * outLength, outLength));
            absProduct(abs.AsSpan(n * inLength, inLength), bound.AsSpan(n * outLength, outLength));
        }
        return (expected, bound);
    }

    private static string? WithinBound<T>(string what, T[] actual, (T[] Expected, T[] Bound) reference, int length, double allowance, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < actual.Length; i++)
        {
            double error = Math.Abs(double.CreateChecked(actual[i]) - double.CreateChecked(reference.Expected[i]));
            double allowed = allowance * double.CreateChecked(reference.Bound[i]) + 1e-300;
            if (!(error <= allowed))
                return $"{what} sample {i / length} element {i % length}: {actual[i]} vs V's {reference.Expected[i]} (allowed {allowed:E2}); {g}";
        }
        return null;
    }

    /// <summary><paramref name="length"/> values uniform in [−1, 1).</summary>
    internal static double[] Values(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = 2 * random.NextDouble() - 1;
        return values;
    }

    internal static T[] Convert<T>(long[] values) where T : INumber<T> => values.Select(T.CreateChecked).ToArray();

    /// <summary>An output pre-filled with garbage that an overwriting product must not keep.</summary>
    internal static T[] Garbage<T>(int length) where T : INumber<T> => Enumerable.Repeat(T.CreateChecked(12345), length).ToArray();
}
