namespace ConvAsMatrix.Explorer.Model;

/// <summary>
/// V·x against the direct correlation (for a transposed convolution, Vᵀ·y against the direct scatter) for a random
/// integer x and weight: two independent paths through the library, V compiled and the textbook loops of
/// <see cref="DirectCorrelation"/> / <see cref="DirectScatter"/>. Small integers keep double arithmetic exact, so
/// agreement means equality.
/// </summary>
/// <param name="Agree">Whether every element agreed exactly.</param>
/// <param name="Elements">How many output elements were compared.</param>
/// <param name="MaxDifference">The largest absolute difference.</param>
/// <param name="Sentence">What was compared, for the page.</param>
public sealed record LiveCheck(bool Agree, int Elements, double MaxDifference, string Sentence)
{
    /// <summary>Runs the check for <paramref name="geometry"/> with fresh random values.</summary>
    public static LiveCheck Run(ConvGeometry geometry, bool transposed, Random random)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(random);
        var weight = Integers(geometry.WeightLength, random);
        var v = ConvolutionMatrix<double>.Compile(weight, geometry);
        int inLength = transposed ? geometry.OutputLength : geometry.InputLength, outLength = transposed ? geometry.InputLength : geometry.OutputLength;
        var x = Integers(inLength, random);
        var throughV = new double[outLength];
        var direct = new double[outLength];
        if (transposed)
        {
            v.TransposeMultiply(x, throughV);
            DirectScatter.Apply<double>(geometry, x, weight, direct);
        }
        else
        {
            v.Multiply(x, throughV);
            DirectCorrelation.Apply<double>(geometry, x, weight, direct);
        }
        double max = 0;
        for (int i = 0; i < outLength; i++) max = Math.Max(max, Math.Abs(throughV[i] - direct[i]));
        string sentence = transposed
            ? $"Vᵀ·y equals the direct transposed convolution (the scatter loops) for a random y of {inLength} integers and a random integer weight"
            : $"V·x equals the direct correlation (the textbook loops) for a random x of {inLength} integers and a random integer weight";
        return new LiveCheck(max == 0, outLength, max, sentence);
    }

    private static double[] Integers(int n, Random random)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = random.Next(-9, 10);
        return values;
    }
}
