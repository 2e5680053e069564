'use strict';
// What the mwn flows share: named steps, checks that print "ok: ..." and a runner that reports
// which step failed, with the API's answer when there was one.

let current = '(start)';

async function step(description, action) {
	current = description;
	return action();
}

function check(condition, what, detail) {
	if (!condition) {
		throw new Error(`check failed: ${what} ${detail === undefined ? '' : JSON.stringify(detail)}`);
	}
	console.log(`ok: ${what}`);
}

function run(main) {
	main().catch((error) => {
		console.error(`[mwn] ${current} failed: ${error.code ? error.code + ': ' : ''}${error.info || error.message}`);
		if (error.response && error.response.data) {
			console.error(JSON.stringify(error.response.data).slice(0, 2000));
		}
		process.exit(1);
	});
}

module.exports = { step, check, run };
