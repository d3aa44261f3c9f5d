// `hammock` command line: see README. Filled in with the collections layer.
process.stdout.write('hammock: not built yet\n');
