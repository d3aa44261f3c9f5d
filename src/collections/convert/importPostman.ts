import { ImportError, type ImportInput, type ImportResult } from './importTypes';
export function importPostmanCollection(input: ImportInput): ImportResult {
  void input;
  throw new ImportError('Postman import is being written');
}
export function importPostmanEnvironment(input: ImportInput): ImportResult {
  void input;
  throw new ImportError('Postman import is being written');
}
