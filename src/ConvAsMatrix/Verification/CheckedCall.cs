namespace ConvAsMatrix.Verification;

/// <summary>
/// One convolution or transposed convolution as <see cref="ConvolutionCheck"/> recomputes it: batched tensors,
/// options, the bias added <see cref="BiasTimes"/> times, then an optional positional rearrangement of the output.
/// A mistake is a changed call; <see cref="Abs"/> gives the call whose output bounds the rounding error of this one.
/// </summary>
internal sealed record CheckedCall(bool Transposed, Tensor<double> Input, Tensor<double> Weight, Tensor<double>? Bias,
    ConvOptions ConvOptions, ConvTransposeOptions TransposeOptions)
{
    /// <summary>How many times the bias is added (1 normally; 0 or 2 for the bias mistakes).</summary>
    public int BiasTimes { get; init; } = 1;

    /// <summary>A rearrangement of the biased output (channels-last memory order, zeros at the start); null for none.</summary>
    public Func<Tensor<double>, Tensor<double>>? After { get; init; }

    /// <summary>The forward geometry of this call (its pads, output_padding and channel counts resolved).</summary>
    public ConvGeometry Geometry => Transposed
        ? ConvGeometry.ForConvTranspose(Input.ShapeArray, Weight.ShapeArray, TransposeOptions)
        : ConvGeometry.ForConv(Input.ShapeArray, Weight.ShapeArray, ConvOptions);

    /// <summary>Σ over the products one output element sums: channels per group times the kernel taps, plus one for the bias.</summary>
    public int FanIn
    {
        get
        {
            var k = Weight.ShapeArray[2..].Aggregate(1L, (p, s) => p * s);
            long channels = Transposed ? Weight.Shape[0] / Math.Max(1, TransposeOptions.Groups) : Weight.Shape[1];
            return (int)Math.Min(int.MaxValue, channels * k + (Bias is null ? 0 : 1));
        }
    }

    /// <summary>The output, through V.</summary>
    /// <exception cref="ArgumentException">The call is invalid (a mistake that does not fit these shapes).</exception>
    public Tensor<double> Run()
    {
        var y = Transposed
            ? Functional.ConvTranspose(Input, Weight, options: TransposeOptions)
            : Functional.Conv(Input, Weight, options: ConvOptions);
        if (Bias is not null) Check.Shape(Bias.Shape, [y.Shape[1]], "bias");
        y = CheckTensors.AddBias(y, Bias, BiasTimes);
        return After is null ? y : After(y);
    }

    /// <summary>The same call on |input|, |weight|, |bias|: its output is Σ|w·x| + |b| per element, the scale of the rounding error.</summary>
    public CheckedCall Abs() => this with
    {
        Input = CheckTensors.Abs(Input), Weight = CheckTensors.Abs(Weight), Bias = Bias is null ? null : CheckTensors.Abs(Bias),
    };
}
