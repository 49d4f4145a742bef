using ConvAsMatrix;
using ConvAsMatrix.SuiteSparse;

namespace Consumer;

/// <summary>The example of the ConvAsMatrix.SuiteSparse package's README, between the markers, verbatim.</summary>
public static class SuiteSparseExample
{
    /// <summary>Blurs a known image with a square V and solves it back directly; returns the largest error.</summary>
    public static double Run()
    {
        // --- README example begins ---
        // A 3x3 blur with 'same' padding on a 16x16 image: V is square (256 x 256) and invertible.
        var geometry = ConvGeometry.ForConv(inputShape: [1, 1, 16, 16], weightShape: [1, 1, 3, 3],
            new ConvOptions { Padding = Padding.Same });
        var weight = new Tensor<double>([0, 1, 0, 1, 4, 1, 0, 1, 0], [1, 1, 3, 3]);
        var V = ConvolutionMatrix<double>.Compile(weight, geometry);

        double[] x = [.. Enumerable.Range(0, V.ColumnCount).Select(i => Math.Sin(i))];
        var y = new double[V.RowCount];
        V.Multiply(x, y);                                        // blur
        var restored = new double[V.ColumnCount];
        using var solver = DirectSolver.Create(V, lambda: 0);    // square V, λ = 0: UMFPACK's LU, factored once
        solver.Solve(y, restored);                               // restored = V⁻¹·y
        // --- README example ends ---
        return x.Zip(restored, (a, b) => Math.Abs(a - b)).Max();
    }
}
