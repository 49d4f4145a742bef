namespace ConvAsMatrix.Verification;

/// <summary>
/// One pass of a convolution layer as <see cref="ConvolutionCheck"/> recomputes it: the operation, batched tensors,
/// options, the bias added <see cref="BiasTimes"/> times (forward passes), then an optional rearrangement of the result.
/// A mistake is a changed call; <see cref="Abs"/> gives the call whose result bounds the rounding error of this one.
/// </summary>
/// <param name="Op">The pass.</param>
/// <param name="Input">The operation's input, (N, C_in, *spatial): its values, or for an input gradient only its shape.</param>
/// <param name="Weight">The weight: its values, or for a weight gradient only its shape.</param>
/// <param name="Bias">(C_out) or null; forward passes only.</param>
/// <param name="GradOutput">The gradient of the forward pass's output, (N, C_out, *out); gradient passes only.</param>
/// <param name="ConvOptions">The options when the operation is a convolution's.</param>
/// <param name="TransposeOptions">The options when it is a transposed convolution's.</param>
internal sealed record CheckedCall(CheckedOperation Op, Tensor<double> Input, Tensor<double> Weight, Tensor<double>? Bias,
    Tensor<double>? GradOutput, ConvOptions ConvOptions, ConvTransposeOptions TransposeOptions)
{
    /// <summary>How many times the bias is added (1 normally; 0 or 2 for the bias mistakes).</summary>
    public int BiasTimes { get; init; } = 1;

    /// <summary>A rearrangement of the (biased) result (channels-last memory order, zeros at the start, ...); null for none.</summary>
    public Func<Tensor<double>, Tensor<double>>? After { get; init; }

    /// <summary>True for the passes of a transposed convolution.</summary>
    public bool Transposed => Op.IsTransposed();

    /// <summary>Forward, input gradient or weight gradient.</summary>
    public CheckedPass Pass => Op.Pass();

    /// <summary>The groups of the options in use.</summary>
    public int Groups => Transposed ? TransposeOptions.Groups : ConvOptions.Groups;

    /// <summary>The forward geometry of this call (its pads, output_padding and channel counts resolved).</summary>
    public ConvGeometry Geometry => Transposed
        ? ConvGeometry.ForConvTranspose(Input.ShapeArray, Weight.ShapeArray, TransposeOptions)
        : ConvGeometry.ForConv(Input.ShapeArray, Weight.ShapeArray, ConvOptions);

    /// <summary>
    /// The products one result element sums. Through V (conv, conv_transpose's input gradient): weight.shape[1]·∏k;
    /// through Vᵀ (conv_transpose, conv's input gradient): weight.shape[0]/groups·∏k; plus one with a bias. A weight
    /// gradient element sums one product per sample and output position of the forward convolution: N·∏out.
    /// </summary>
    public int FanIn
    {
        get
        {
            long products;
            if (Pass == CheckedPass.WeightGradient)
            {
                var g = Geometry;
                products = (long)g.Batch * g.OutputLength / g.OutChannels;
            }
            else
            {
                var k = Weight.ShapeArray[2..].Aggregate(1L, (p, s) => p * s);
                long channels = Op.AppliesV() ? Weight.Shape[1] : Weight.Shape[0] / Math.Max(1, Groups);
                products = channels * k + (Bias is null ? 0 : 1);
            }
            return (int)Math.Min(int.MaxValue, products);
        }
    }

    /// <summary>The result, through V (or U(x)).</summary>
    /// <exception cref="ArgumentException">The call is invalid (a mistake that does not fit these shapes).</exception>
    public Tensor<double> Run()
    {
        var y = Op switch
        {
            CheckedOperation.Conv => Functional.Conv(Input, Weight, options: ConvOptions),
            CheckedOperation.ConvTranspose => Functional.ConvTranspose(Input, Weight, options: TransposeOptions),
            CheckedOperation.ConvGradInput => Functional.ConvInputGrad(Input.ShapeArray, Weight, GradOutput!, ConvOptions),
            CheckedOperation.ConvGradWeight => Functional.ConvWeightGrad(Input, Weight.ShapeArray, GradOutput!, ConvOptions),
            CheckedOperation.ConvTransposeGradInput => Functional.ConvTransposeInputGrad(Input.ShapeArray, Weight, GradOutput!, TransposeOptions),
            _ => Functional.ConvTransposeWeightGrad(Input, Weight.ShapeArray, GradOutput!, TransposeOptions),
        };
        if (Bias is not null)
        {
            Check.Shape(Bias.Shape, [y.Shape[1]], "bias");
            y = CheckTensors.AddBias(y, Bias, BiasTimes);
        }
        return After is null ? y : After(y);
    }

    /// <summary>The same call on the magnitudes of every operand: its result is Σ|products| (+ |b|) per element, the scale of the rounding error.</summary>
    public CheckedCall Abs() => this with
    {
        Input = CheckTensors.Abs(Input),
        Weight = CheckTensors.Abs(Weight),
        Bias = Bias is null ? null : CheckTensors.Abs(Bias),
        GradOutput = GradOutput is null ? null : CheckTensors.Abs(GradOutput),
    };
}
