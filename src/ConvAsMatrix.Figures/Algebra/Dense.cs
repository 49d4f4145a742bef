using System.Numerics;

namespace ConvAsMatrix.Figures;

/// <summary>Dense matrix arithmetic written out in loops, exact for exact element types: the proofs' blackboard.</summary>
public static class Dense
{
    /// <summary>A row-major array as a rows×cols matrix (PyTorch's <c>reshape(rows, cols)</c>).</summary>
    public static T[,] Matrix<T>(IReadOnlyList<T> data, int rows, int cols)
    {
        if (data.Count != rows * cols) throw new ArgumentException($"{data.Count} elements cannot be a {rows}×{cols} matrix", nameof(data));
        var m = new T[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                m[i, j] = data[i * cols + j];
        return m;
    }

    /// <summary>The matrix read row-major (PyTorch's <c>reshape(-1)</c>).</summary>
    public static T[] Flatten<T>(T[,] m)
    {
        var v = new T[m.Length];
        int k = 0;
        foreach (var x in m) v[k++] = x; // a C# rectangular array enumerates row-major
        return v;
    }

    /// <summary>Aᵀ.</summary>
    public static T[,] Transpose<T>(T[,] a)
    {
        var t = new T[a.GetLength(1), a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++)
                t[j, i] = a[i, j];
        return t;
    }

    /// <summary>A·B.</summary>
    public static T[,] Multiply<T>(T[,] a, T[,] b) where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        int n = a.GetLength(0), inner = a.GetLength(1), m = b.GetLength(1);
        if (b.GetLength(0) != inner) throw new ArgumentException($"cannot multiply {n}×{inner} by {b.GetLength(0)}×{m}", nameof(b));
        var c = new T[n, m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                T sum = T.AdditiveIdentity;
                for (int k = 0; k < inner; k++) sum += a[i, k] * b[k, j];
                c[i, j] = sum;
            }
        return c;
    }

    /// <summary>A·x.</summary>
    public static T[] Multiply<T>(T[,] a, IReadOnlyList<T> x) where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T> =>
        Flatten(Multiply(a, Matrix(x, x.Count, 1)));

    /// <summary>⟨a, b⟩ = Σ aᵢbᵢ.</summary>
    public static T Dot<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
    {
        if (a.Count != b.Count) throw new ArgumentException($"lengths {a.Count} and {b.Count} differ", nameof(b));
        T sum = T.AdditiveIdentity;
        for (int i = 0; i < a.Count; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>The n×n identity.</summary>
    public static T[,] Identity<T>(int n) where T : IAdditiveIdentity<T, T>, IMultiplicativeIdentity<T, T>
    {
        var m = new T[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                m[i, j] = i == j ? T.MultiplicativeIdentity : T.AdditiveIdentity;
        return m;
    }

    /// <summary>The rows×cols block of <paramref name="m"/> whose top-left entry is (r0, c0).</summary>
    public static T[,] Block<T>(T[,] m, int r0, int c0, int rows, int cols)
    {
        var b = new T[rows, cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                b[i, j] = m[r0 + i, c0 + j];
        return b;
    }

    /// <summary>f applied to every entry.</summary>
    public static TOut[,] Map<TIn, TOut>(TIn[,] m, Func<TIn, TOut> f)
    {
        var r = new TOut[m.GetLength(0), m.GetLength(1)];
        for (int i = 0; i < m.GetLength(0); i++)
            for (int j = 0; j < m.GetLength(1); j++)
                r[i, j] = f(m[i, j]);
        return r;
    }

    /// <summary>Whether two matrices have the same shape and equal entries.</summary>
    public static bool Equal<T>(T[,] a, T[,] b) =>
        a.GetLength(0) == b.GetLength(0) && a.GetLength(1) == b.GetLength(1) && Flatten(a).SequenceEqual(Flatten(b));

    /// <summary>A matrix as a (1, 1, rows, cols) tensor: one sample, one channel (PyTorch's <c>X.reshape(1, 1, h, w)</c>).</summary>
    public static Tensor<T> AsTensor<T>(T[,] m) => Tensor.From(Flatten(m), 1, 1, m.GetLength(0), m.GetLength(1));

    /// <summary>The last two dimensions of a tensor holding one plane, e.g. (1, 1, h, w), as a matrix.</summary>
    public static T[,] Plane<T>(Tensor<T> t)
    {
        int rows = t.Shape[^2], cols = t.Shape[^1];
        return Matrix(t.Data, rows, cols);
    }
}
