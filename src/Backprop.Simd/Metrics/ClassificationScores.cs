namespace Backprop.Simd.Metrics;

/// <summary>Precision, recall and F1 of one class, or their average over the classes, with the support they cover.</summary>
/// <param name="Precision">Of the samples predicted as the class, the fraction that belong to it: TP / (TP + FP); 0 for a class never predicted.</param>
/// <param name="Recall">Of the samples that belong to the class, the fraction predicted as it: TP / (TP + FN); 0 for a class without samples.</param>
/// <param name="F1">The harmonic mean of precision and recall: 2 TP / (2 TP + FP + FN); 0 when that is 0 / 0.</param>
/// <param name="Support">The samples that belong to the class (for an average: to all classes).</param>
public readonly record struct ClassificationScores(double Precision, double Recall, double F1, int Support);
