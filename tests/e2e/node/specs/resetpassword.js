'use strict';
// action=resetpassword (seed 000) through api-testing clients.

const { action, assert } = require('api-testing');

describe('action=resetpassword', () => {
	let alice;

	before(async () => {
		alice = await action.alice();
	});

	it('accepts a reset by user name (Resetme has an email address)', async () => {
		const body = await alice.action('resetpassword', { user: 'Resetme', token: await alice.token() }, 'POST');
		assert.deepEqual(body, { resetpassword: { status: 'success' } });
	});

	it('needs a user name or an email address', async () => {
		const error = await alice.actionError('resetpassword', { token: await alice.token() }, 'POST');
		assert.equal(error.code, 'passwordreset-nodata');
	});

	it('needs a csrf token', async () => {
		const error = await alice.actionError('resetpassword', { user: 'Resetme' }, 'POST');
		assert.equal(error.code, 'missingparam');
	});

	it('refuses a token in the query string with mustpostparams', async () => {
		const error = await alice.actionError('resetpassword', { user: 'Resetme', token: await alice.token() });
		assert.equal(error.code, 'mustpostparams');
	});
});
