namespace ConvAsMatrix.Tests.Performance;

/// <summary>Tests that change the process-wide <see cref="Parallelism.MaxDegreeOfParallelism"/> run one at a time, so each restores what it found.</summary>
[CollectionDefinition(nameof(ParallelismSetting), DisableParallelization = true)]
public class ParallelismSetting;
