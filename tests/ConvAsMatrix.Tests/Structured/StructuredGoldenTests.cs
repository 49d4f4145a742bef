using ConvAsMatrix.Tests.Blocked;
using ConvAsMatrix.Tests.Golden;

namespace ConvAsMatrix.Tests.Structured;

/// <summary>
/// The PyTorch golden cases (tests/golden/) through the structured V directly, in double: V·x and Vᵀ·y against
/// PyTorch's output, the adjoint against autograd's gradient (on every kernel path), and Functional's explicit form (MatrixForm.Csr) alike
/// (the default form, structured, runs in <see cref="GoldenTests"/>).
/// </summary>
public class StructuredGoldenTests
{
    public static TheoryData<string> Ids
    {
        get
        {
            var ids = new TheoryData<string>();
            foreach (var id in GoldenCases.ById.Keys.Order(StringComparer.Ordinal)) ids.Add(id);
            return ids;
        }
    }

    /// <summary>On every path this process runs natively (<see cref="KernelChecks.Native"/>), each named in a failure.</summary>
    [Theory]
    [MemberData(nameof(Ids))]
    [Trait("Category", "Kernel")]
    public void StructuredVMatchesPyTorch(string id)
    {
        var c = GoldenCases.Get(id);
        var g = c.Geometry();
        foreach (var path in KernelChecks.Native)
        {
            var v = StructuredConvolution<double>.Compile(c.Weight, g, path);
            string on = $" on {KernelChecks.Label(path)}";
            Assert.Equal(path, v.KernelPath);
            var output = new double[c.Output.Length];
            if (c.IsTranspose) v.ConvolveTranspose(c.Input, output);
            else v.Convolve(c.Input, output);
            GoldenTests.AssertClose(c.Output, WithBias(output, c.Bias, c.OutputShape), (c.IsTranspose ? "structured Vᵀ·y + bias" : "structured V·x + bias") + on);

            var gradient = new double[c.GradInput.Length];
            if (c.IsTranspose) v.Convolve(c.GradOutput, gradient);
            else v.ConvolveTranspose(c.GradOutput, gradient);
            GoldenTests.AssertClose(c.GradInput, gradient, (c.IsTranspose ? "structured V·g" : "structured Vᵀ·g") + on);
        }
    }

    [Theory]
    [MemberData(nameof(Ids))]
    public void FunctionalCsrFormMatchesPyTorch(string id)
    {
        var c = GoldenCases.Get(id);
        var input = Tensor.From(c.Input, c.InputShape);
        var weight = Tensor.From(c.Weight, c.WeightShape);
        var bias = c.Bias is null ? null : Tensor.From(c.Bias, c.Bias.Length);
        var output = c.IsTranspose
            ? Functional.ConvTranspose(input, weight, bias, c.ToConvTransposeOptions(), form: MatrixForm.Csr)
            : Functional.Conv(input, weight, bias, c.ToConvOptions(), form: MatrixForm.Csr);
        GoldenTests.AssertClose(c.Output, output.Data, "Functional, MatrixForm.Csr");
    }

    /// <summary>y[n, c, ...] + bias[c].</summary>
    private static double[] WithBias(double[] y, double[]? bias, int[] shape)
    {
        if (bias is null) return y;
        int plane = y.Length / (shape[0] * shape[1]);
        return y.Select((value, i) => value + bias[i / plane % shape[1]]).ToArray();
    }
}
