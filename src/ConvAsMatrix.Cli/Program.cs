namespace ConvAsMatrix.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.WriteLine("convmat: under construction");
        return 0;
    }
}
