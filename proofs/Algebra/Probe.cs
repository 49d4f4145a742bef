using System.Numerics;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// The two matrices of a convolution built without the library's compilers, by probing the direct correlation
/// with unit vectors (how PyLops' <c>todense()</c> probes an operator): column j of V is conv(e_j, w), column j of
/// U(x) is conv(x, e_j). Because <see cref="DirectCorrelation"/> pads with its own plain loops, this is an
/// independent path to every entry of V and of U.
/// </summary>
public static class Probe
{
    /// <summary>The dense V of one sample, column by column from unit inputs.</summary>
    /// <param name="geometry">A convolution with batch 1.</param>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    public static T[,] Matrix<T>(ConvGeometry geometry, T[] weight)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>, IMultiplicativeIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Batch != 1) throw new ArgumentException($"probing needs batch 1, got {geometry.Batch}", nameof(geometry));
        return Columns<T>(geometry.OutputLength, geometry.InputLength, (unit, column) => DirectCorrelation.Apply<T>(geometry, unit, weight, column));
    }

    /// <summary>The dense U(x) of a whole batch, column by column from unit weights: rows (n, co, o), columns the weight (co, c, t).</summary>
    /// <param name="geometry">A convolution.</param>
    /// <param name="input">(N, C_in, *in) row-major.</param>
    public static T[,] Patches<T>(ConvGeometry geometry, T[] input)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>, IMultiplicativeIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        return Columns<T>(geometry.Batch * geometry.OutputLength, geometry.WeightLength, (unit, column) => DirectCorrelation.Apply<T>(geometry, input, unit, column));
    }

    /// <summary>A rows×cols matrix whose column j is <paramref name="apply"/> of the j-th unit vector.</summary>
    private static T[,] Columns<T>(int rows, int cols, Action<T[], T[]> apply)
        where T : IAdditiveIdentity<T, T>, IMultiplicativeIdentity<T, T>
    {
        var m = new T[rows, cols];
        var unit = new T[cols];
        var column = new T[rows];
        Array.Fill(unit, T.AdditiveIdentity);
        for (int j = 0; j < cols; j++)
        {
            unit[j] = T.MultiplicativeIdentity;
            apply(unit, column);
            unit[j] = T.AdditiveIdentity;
            for (int i = 0; i < rows; i++) m[i, j] = column[i];
        }
        return m;
    }
}
