namespace ConvAsMatrix.Proofs;

internal static class Program
{
    private static int Main() => 0;
}
