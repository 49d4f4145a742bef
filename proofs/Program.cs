using System.Text;

namespace ConvAsMatrix.Proofs;

/// <summary><c>dotnet run --project proofs [-- --list | name...]</c>: runs the proofs of the lecture note's claims.</summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        Console.OutputEncoding = Encoding.UTF8; // subscripts and box characters
        return new ProofRunner(ProofCatalog.All, Console.Out, Console.Error).Main(args);
    }
}
