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
    public static void Write(Vector<double> x, Vector<double> y, SpanMap map) =>
        Write(x, y, (xs, ys) =>
        {
            map(xs, ys);
            return true;
        });

    /// <summary>
    /// Runs <paramref name="work"/> on the values of <paramref name="input"/> and <paramref name="output"/> (the latter
    /// also read: a solver's starting guess), writing the output back when it is not a dense vector.
    /// </summary>
    public static TResult Write<TResult>(Vector<double> input, Vector<double> output, Func<double[], double[], TResult> work, string outputName = "y")
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (ReferenceEquals(input, output)) throw new ArgumentException($"{outputName} must be a different vector from the input", outputName);
        var inputs = Values(input, out _);
        var outputs = Values(output, out bool inPlace);
        var result = work(inputs, outputs);
        if (!inPlace) output.SetValues(outputs);
        return result;
    }
}
