using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;
using ConvAsMatrix.Solvers;

namespace ConvAsMatrix.Interop;

/// <summary>The one adapter between MathNet vectors and spans: dense vectors are used in place, others through a copy.</summary>
internal static class MathNetVectors
{
    /// <summary>The values of <paramref name="v"/> as an array: its own storage when dense (no copy), a copy otherwise.</summary>
    public static double[] Values(Vector<double> v, out bool shared)
    {
        if (v.Storage is DenseVectorStorage<double> dense)
        {
            shared = true;
            return dense.Data;
        }
        shared = false;
        return v.ToArray();
    }

    /// <summary>Runs <paramref name="map"/> from <paramref name="x"/> into <paramref name="y"/>, writing back when y is not dense.</summary>
    public static void Write(Vector<double> x, Vector<double> y, SpanMap map)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (ReferenceEquals(x, y)) throw new ArgumentException("x and y must be different vectors", nameof(y));
        var xs = Values(x, out _);
        var ys = Values(y, out bool inPlace);
        map(xs, ys);
        if (!inPlace) y.SetValues(ys);
    }
}
