namespace ConvAsMatrix.Proofs;

/// <summary>Deterministic small-integer data: every product and sum stays exact in <see cref="long"/>, and every run prints the same numbers.</summary>
public static class Samples
{
    /// <summary>A tensor of integers in [−3, 3] drawn from a seeded generator.</summary>
    public static Tensor<long> Integers(int[] shape, int seed)
    {
        var rng = new Random(seed);
        var t = Tensor.Zeros<long>(shape);
        for (int i = 0; i < t.Length; i++) t.Data[i] = rng.Next(-3, 4);
        return t;
    }
}
