using System.Numerics;

namespace ConvAsMatrix.Tests.Properties;

/// <summary>
/// One geometry, five element types: on integer-valued data (small enough to be exact in float) double, float,
/// decimal and BigInteger compile the same V and give the same products as long.
/// </summary>
public class ElementTypeProperties
{
    [ConvProperty]
    public void EveryElementTypeAgreesWithLong(GeometrySpec s)
    {
        var (g, v, x, w, y) = ConvProperties.Compile(s);
        var vx = new long[y.Length];
        var vty = new long[x.Length];
        v.Convolve(x, vx);
        v.ConvolveTranspose(y, vty);
        var expected = new Products(v, vx, vty);

        expected.Check(g, x, w, y, l => (double)l, d => checked((long)d));
        expected.Check(g, x, w, y, l => (float)l, f => checked((long)f));
        expected.Check(g, x, w, y, l => (decimal)l, m => (long)m);
        expected.Check(g, x, w, y, l => (BigInteger)l, b => (long)b);
    }

    /// <summary>V and its two products in long, the reference every other type is compared with.</summary>
    private sealed record Products(ConvolutionMatrix<long> V, long[] Vx, long[] Vty)
    {
        public void Check<T>(ConvGeometry g, long[] x, long[] w, long[] y, Func<long, T> from, Func<T, long> back)
            where T : IAdditionOperators<T, T, T>, IMultiplyOperators<T, T, T>, IAdditiveIdentity<T, T>
        {
            var vt = ConvolutionMatrix<T>.Compile(w.Select(from).ToArray(), g);
            string type = typeof(T).Name;
            Assert.True(V.RowPointers.SequenceEqual(vt.RowPointers), $"{type}: row pointers differ");
            Assert.True(V.ColumnIndices.SequenceEqual(vt.ColumnIndices), $"{type}: column indices differ");
            Assert.True(V.Values.SequenceEqual(vt.Values.Select(back)), $"{type}: values differ");
            var vx = new T[Vx.Length];
            var vty = new T[Vty.Length];
            vt.Convolve(x.Select(from).ToArray(), vx);
            vt.ConvolveTranspose(y.Select(from).ToArray(), vty);
            Assert.True(Vx.SequenceEqual(vx.Select(back)), $"{type}: V·x differs");
            Assert.True(Vty.SequenceEqual(vty.Select(back)), $"{type}: Vᵀ·y differs");
        }
    }
}
