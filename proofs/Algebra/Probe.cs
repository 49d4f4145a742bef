using System.Numerics;

namespace ConvAsMatrix.Proofs;

/// <summary>
/// V built without the library's compiler: column j of V is conv(e_j), the direct correlation of the j-th unit
/// vector (how PyLops' <c>todense()</c> probes an operator). Because <see cref="DirectCorrelation"/> pads with
/// its own plain loops, this is an independent path to every entry of V.
/// </summary>
public static class Probe
{
    /// <summary>The dense V of one sample, column by column from unit vectors.</summary>
    /// <param name="geometry">A convolution with batch 1.</param>
    /// <param name="weight">(C_out, C_in / groups, *k) row-major.</param>
    public static T[,] Matrix<T>(ConvGeometry geometry, T[] weight)
        where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>, IMultiplicativeIdentity<T, T>
    {
        ArgumentNullException.ThrowIfNull(geometry);
        if (geometry.Batch != 1) throw new ArgumentException($"probing needs batch 1, got {geometry.Batch}", nameof(geometry));
        var v = new T[geometry.OutputLength, geometry.InputLength];
        var unit = new T[geometry.InputLength];
        var column = new T[geometry.OutputLength];
        Array.Fill(unit, T.AdditiveIdentity);
        for (int j = 0; j < geometry.InputLength; j++)
        {
            unit[j] = T.MultiplicativeIdentity;
            DirectCorrelation.Apply<T>(geometry, unit, weight, column);
            unit[j] = T.AdditiveIdentity;
            for (int i = 0; i < column.Length; i++) v[i, j] = column[i];
        }
        return v;
    }
}
