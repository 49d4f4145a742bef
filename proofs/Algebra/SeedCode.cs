namespace ConvAsMatrix.Proofs;

/// <summary>
/// The seed lecture note's own code, ported line by line from PyTorch to C# on exact integers. It is the
/// independent path the proofs hold the library against: if the library disagreed with the lecture, a proof FAILs.
/// </summary>
public static class SeedCode
{
    /// <summary>
    /// <code>
    /// def trans_conv(X, K):
    ///     h, w = K.shape
    ///     Y = torch.zeros((X.shape[0] + h - 1, X.shape[1] + w - 1))
    ///     for i in range(X.shape[0]):
    ///         for j in range(X.shape[1]):
    ///             Y[i: i + h, j: j + w] += X[i, j] * K
    ///     return Y
    /// </code>
    /// </summary>
    public static long[,] TransConv(long[,] X, long[,] K) => TransConv(X, K, stride: 1, padding: 0);

    /// <summary>
    /// <see cref="TransConv(long[,], long[,])"/> with the seed's two remarks written in: with a stride the block
    /// lands at <c>Y[i·s : i·s + h, j·s : j·s + w]</c> ("输出高宽 h/w + stride·(shape − 1)"), and padding removes
    /// rows and columns from the output ("在输出上作用一个逆向填充": padding acts on the output in reverse).
    /// </summary>
    public static long[,] TransConv(long[,] X, long[,] K, int stride, int padding)
    {
        int h = K.GetLength(0), w = K.GetLength(1);
        var Y = new long[(X.GetLength(0) - 1) * stride + h, (X.GetLength(1) - 1) * stride + w];
        for (int i = 0; i < X.GetLength(0); i++)
            for (int j = 0; j < X.GetLength(1); j++)
                for (int a = 0; a < h; a++)
                    for (int b = 0; b < w; b++)
                        Y[i * stride + a, j * stride + b] += X[i, j] * K[a, b];
        return Dense.Block(Y, padding, padding, Y.GetLength(0) - 2 * padding, Y.GetLength(1) - 2 * padding);
    }

    /// <summary>
    /// d2l's <c>corr2d</c>, the cross-correlation the lecture calls convolution:
    /// <code>
    /// Y = torch.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
    /// for i, j: Y[i, j] = (X[i:i + h, j:j + w] * K).sum()
    /// </code>
    /// </summary>
    public static long[,] Corr2d(long[,] X, long[,] K)
    {
        int h = K.GetLength(0), w = K.GetLength(1);
        var Y = new long[X.GetLength(0) - h + 1, X.GetLength(1) - w + 1];
        for (int i = 0; i < Y.GetLength(0); i++)
            for (int j = 0; j < Y.GetLength(1); j++)
                for (int a = 0; a < h; a++)
                    for (int b = 0; b < w; b++)
                        Y[i, j] += X[i + a, j + b] * K[a, b];
        return Y;
    }

    /// <summary>
    /// The seed's hard-coded matrix of a 2×2 kernel on a 3×3 input:
    /// <code>
    /// def kernel2matrix(K):
    ///     k, W = torch.zeros(5), torch.zeros((4, 9))
    ///     k[:2], k[3:5] = K[0, :], K[1, :]
    ///     W[0, :5], W[1, 1:6], W[2, 3:8], W[3, 4:] = k, k, k, k
    ///     return W
    /// </code>
    /// </summary>
    public static long[,] Kernel2Matrix(long[,] K)
    {
        var k = new long[5];
        var W = new long[4, 9];
        (k[0], k[1]) = (K[0, 0], K[0, 1]);
        (k[3], k[4]) = (K[1, 0], K[1, 1]);
        int[] starts = [0, 1, 3, 4]; // W[0, :5], W[1, 1:6], W[2, 3:8], W[3, 4:]
        for (int row = 0; row < 4; row++)
            for (int t = 0; t < 5; t++)
                W[row, starts[row] + t] = k[t];
        return W;
    }
}
