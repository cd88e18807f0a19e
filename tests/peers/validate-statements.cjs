// Strict xAPI 1.0.3 validation with Learning Locker's xapi-validation.
// Usage: node validate-statements.cjs < statements.json  (an array, or {"statements": [...]})
// Prints {"id", "warnings": [...]} for each statement; exits 1 if any has a warning.
const validateStatement = require('xapi-validation').default;

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const statements = Array.isArray(input) ? input : input.statements;
  let failed = 0;
  for (const statement of statements) {
    const warnings = validateStatement(statement).map((w) => ({
      path: w.path.join('.'),
      message: w.constructor.name,
      data: w.data,
    }));
    if (warnings.length) failed += 1;
    console.log(JSON.stringify({id: statement.id, warnings}));
  }
  process.exit(failed ? 1 : 0);
});
