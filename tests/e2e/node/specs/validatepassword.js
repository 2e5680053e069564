'use strict';
// action=validatepassword (seed 001) through api-testing clients.

const { action, assert, utils } = require('api-testing');

describe('action=validatepassword', () => {
	let alice, anon;

	before(async () => {
		[alice, anon] = await Promise.all([action.alice(), action.getAnon()]);
	});

	it('calls a strong password for a new user Good', async () => {
		const body = await anon.action('validatepassword', {
			password: utils.uniq(20), user: utils.title('Future_')
		}, 'POST');
		assert.deepEqual(body.validatepassword, { validity: 'Good' });
	});

	it('asks to change a common password', async () => {
		const body = await alice.action('validatepassword', { password: 'abc' }, 'POST');
		assert.equal(body.validatepassword.validity, 'Change');
		assert.equal(body.validatepassword.validitymessages[0].code, 'passwordincommonlist');
	});

	it('asks to change a password that contains the user name', async () => {
		const name = utils.title('Samename_');
		const body = await anon.action('validatepassword', {
			password: name.replace(/_/g, ' '), user: name
		}, 'POST');
		assert.equal(body.validatepassword.validity, 'Change');
		assert.equal(body.validatepassword.validitymessages[0].code, 'password-substring-username-match');
	});

	it('refuses a user that exists with userexists', async () => {
		const error = await anon.actionError('validatepassword', {
			password: utils.uniq(20), user: alice.username
		}, 'POST');
		assert.equal(error.code, 'userexists');
	});

	it('must be posted', async () => {
		const error = await anon.actionError('validatepassword', { password: utils.uniq(20) });
		assert.equal(error.code, 'mustbeposted');
	});
});
