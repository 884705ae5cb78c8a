/** A short support document the answer tests ask about (warranty length, coverage, exclusions, claim window). */
export const WARRANTY = [
  'Warranty terms',
  '',
  'The warranty period is 24 months from the date of purchase. It covers manufacturing defects in the motor and the control board.',
  '',
  'Accidental damage and water damage are not covered by the warranty. Claims must be filed within 14 days of noticing the defect.',
  '',
].join('\n');
