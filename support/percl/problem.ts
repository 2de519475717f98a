// What the PerCL validator reports: a problem, with the JSON pointer to where it is and the rule it
// broke. Apart from validate.ts so that the rules it runs (script-rules.ts) name a problem without
// importing the validator that imports them.

export type Rule =
  | 'document-shape' // the script is not a JSON array
  | 'command-shape' // an element is not an object with exactly one key
  | 'unknown-command'
  | 'required'
  | 'type'
  | 'enum'
  | 'format'
  | 'range'
  | 'unknown-attribute'
  | 'legacy-attribute'
  | 'after-terminal'
  | 'nesting'
  | 'conditional' // an attribute whose use depends on another one (ifMachineUrl, grammarFile)
  | 'placement' // a command where the reference says it has no effect
  | 'context'; // a command documented as unsupported where the script runs (in a conference)

export interface Problem {
  pointer: string;
  rule: Rule;
  severity: 'error' | 'warning';
  message: string;
}
