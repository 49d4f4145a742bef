using System.Numerics;

namespace ConvAsMatrix.Benchmarks;

/// <summary>
/// A named convolution to measure, float64 or float32: the workloads W1–W6 of the benchmark suite, defined once here so
/// that the BenchmarkDotNet project, <c>convmat bench</c> and the tests measure the same thing.
/// </summary>
/// <remarks>
/// The geometry is built per batch size (V itself does not depend on the batch). For a transposed-convolution
/// workload (W2) the geometry is the forward convolution it transposes, so its <c>tconv</c> operation, Vᵀ·y,
/// is the workload's own transposed convolution. Data are reproducible pseudo-random numbers in [−1, 1).
/// </remarks>
public sealed class Workload
{
    private readonly Func<int, ConvGeometry> geometry;

    private Workload(string name, string description, string torchCall, Func<int, ConvGeometry> geometry)
    {
        Name = name;
        Description = description;
        TorchCall = torchCall;
        this.geometry = geometry;
    }

    /// <summary>W1: 1×1×512×512 input, 1→1 channel, k5, stride 1, padding 2 (image filtering).</summary>
    public static Workload W1 { get; } = new("W1", "conv2d 1x1x512x512, 1->1 channel, k5, stride 1, padding 2 (image filtering)", "conv",
        b => ConvGeometry.ForConv([b, 1, 512, 512], [1, 1, 5, 5], new ConvOptions { Padding = 2 }));

    /// <summary>W2: transposed conv 1×64×32×32 → 32 channels, k4, stride 2, padding 1 (DCGAN-style upsampling to 64×64).</summary>
    public static Workload W2 { get; } = new("W2", "conv_transpose2d 1x64x32x32 -> 32 channels, k4, stride 2, padding 1 (DCGAN upsampling)", "conv_transpose",
        b => ConvGeometry.ForConvTranspose([b, 64, 32, 32], [64, 32, 4, 4], new ConvTransposeOptions { Stride = [2], Padding = 1 }));

    /// <summary>W3: 1×32×56×56 input → 32 channels, k3, stride 1, padding 1 (ResNet-style).</summary>
    public static Workload W3 { get; } = new("W3", "conv2d 1x32x56x56 -> 32 channels, k3, stride 1, padding 1 (ResNet block)", "conv",
        b => ConvGeometry.ForConv([b, 32, 56, 56], [32, 32, 3, 3], new ConvOptions { Padding = 1 }));

    /// <summary>W4: 3-D 1×4×32×32×32 input → 4 channels, k3, padding 1.</summary>
    public static Workload W4 { get; } = new("W4", "conv3d 1x4x32x32x32 -> 4 channels, k3, padding 1 (volume)", "conv",
        b => ConvGeometry.ForConv([b, 4, 32, 32, 32], [4, 4, 3, 3, 3], new ConvOptions { Padding = 1 }));

    /// <summary>W5: ResNet-50 conv4_x, 1×256×14×14 input → 256 channels, k3, stride 1, padding 1 (narrow rows, many channels).</summary>
    public static Workload W5 { get; } = new("W5", "conv2d 1x256x14x14 -> 256 channels, k3, stride 1, padding 1 (ResNet-50 conv4_x)", "conv",
        b => ConvGeometry.ForConv([b, 256, 14, 14], [256, 256, 3, 3], new ConvOptions { Padding = 1 }));

    /// <summary>W6: VGG-16 conv1_2, 1×64×224×224 input → 64 channels, k3, stride 1, padding 1 (its explicit V has 1.85e9 entries, 22 GB).</summary>
    public static Workload W6 { get; } = new("W6", "conv2d 1x64x224x224 -> 64 channels, k3, stride 1, padding 1 (VGG-16 conv1_2)", "conv",
        b => ConvGeometry.ForConv([b, 64, 224, 224], [64, 64, 3, 3], new ConvOptions { Padding = 1 }));

    /// <summary>A smoke-test size (1×2×16×16 → 2 channels, k3), not part of <see cref="All"/>: a machine check in milliseconds.</summary>
    public static Workload Tiny { get; } = new("tiny", "conv2d 1x2x16x16 -> 2 channels, k3, padding 1 (smoke test)", "conv",
        b => ConvGeometry.ForConv([b, 2, 16, 16], [2, 2, 3, 3], new ConvOptions { Padding = 1 }));

    /// <summary>A workload of your own, e.g. to see how time grows with one parameter.</summary>
    /// <param name="name">Short name.</param>
    /// <param name="description">One line.</param>
    /// <param name="geometry">The forward convolution for a batch size.</param>
    public static Workload Create(string name, string description, Func<int, ConvGeometry> geometry)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(geometry);
        return new(name, description ?? name, "conv", geometry);
    }

    /// <summary>W1–W4: the suite of the explicit V (compile, CSR products, MathNet); their V fit in memory.</summary>
    public static IReadOnlyList<Workload> All { get; } = [W1, W2, W3, W4];

    /// <summary>
    /// W1–W6: the suite of the structured kernels, which store only the weight. W5's explicit V would take 1.2 GB and
    /// W6's 22 GB, so they are not in <see cref="All"/>.
    /// </summary>
    public static IReadOnlyList<Workload> Structured { get; } = [W1, W2, W3, W4, W5, W6];

    /// <summary>The workload called <paramref name="name"/> (case-insensitive): W1–W6 or <see cref="Tiny"/>.</summary>
    /// <exception cref="ArgumentException">No workload has that name; the message lists the names.</exception>
    public static Workload Named(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Structured.Append(Tiny).FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"workload '{name}' is not one of {string.Join(", ", Structured.Append(Tiny).Select(w => w.Name))}", nameof(name));
    }

    /// <summary>W1, W2, ...</summary>
    public string Name { get; }

    /// <summary>What the workload is, in one line.</summary>
    public string Description { get; }

    /// <summary>Which PyTorch function the workload is: <c>conv</c> or <c>conv_transpose</c>.</summary>
    public string TorchCall { get; }

    /// <summary>The forward convolution for <paramref name="batch"/> samples (V is the same for every batch).</summary>
    public ConvGeometry Geometry(int batch) => geometry(batch);

    /// <summary>The weight, shape <see cref="ConvGeometry.WeightShape"/> (also the transposed convolution's weight for W2).</summary>
    public double[] Weight() => Weight<double>();

    /// <summary>The weight as <typeparamref name="T"/>: the float64 values of <see cref="Weight()"/>, converted (rounded for float).</summary>
    public T[] Weight<T>() where T : INumberBase<T> => Random<T>(Geometry(1).WeightLength, seed: 1);

    /// <summary>A batch of inputs for V·x: <paramref name="batch"/> × <see cref="ConvGeometry.InputLength"/>.</summary>
    public double[] Input(int batch) => Input<double>(batch);

    /// <summary>The inputs of <see cref="Input(int)"/> as <typeparamref name="T"/>.</summary>
    public T[] Input<T>(int batch) where T : INumberBase<T> => Random<T>(batch * Geometry(1).InputLength, seed: 2);

    /// <summary>A batch of inputs for Vᵀ·y: <paramref name="batch"/> × <see cref="ConvGeometry.OutputLength"/>.</summary>
    public double[] TransposeInput(int batch) => TransposeInput<double>(batch);

    /// <summary>The inputs of <see cref="TransposeInput(int)"/> as <typeparamref name="T"/>.</summary>
    public T[] TransposeInput<T>(int batch) where T : INumberBase<T> => Random<T>(batch * Geometry(1).OutputLength, seed: 3);

    /// <inheritdoc/>
    public override string ToString() => $"{Name}: {Description}";

    private static T[] Random<T>(int length, int seed) where T : INumberBase<T>
    {
        var random = new Random(seed);
        var data = new T[length];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(2 * random.NextDouble() - 1);
        return data;
    }
}
