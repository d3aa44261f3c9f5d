import { ImportError, type ImportInput, type ImportResult } from './importTypes';
export function importHar(input: ImportInput): ImportResult {
  void input;
  throw new ImportError('HAR import is being written');
}
