'use strict';
// Drives wikigate with mwn: login (action=login, main account and bot password), save,
// read-modify-write edit, a multipart save of a long text, protect, and the refusal to edit
// a protected page. Prints "ok: ..." per check; a failure names the step and its request.

const { Mwn } = require('mwn');
const { step, check, run } = require('./flow_support');

const apiUrl = process.env.WIKI_API_URL;
const [aliceName, alicePassword, botName, botPassword] = process.argv.slice(2);


async function login(username, password) {
	return step(`Mwn.init + action=login lgname=${username}`, () => Mwn.init({
		apiUrl, username, password, userAgent: 'wikigate-e2e mwn', silent: true,
		maxRetries: 2, retryPause: 100
	}));
}

async function main() {
	const alice = await login(aliceName, alicePassword);
	check(alice.loggedIn !== false && alice.state.lgusername === aliceName, 'alice logged in', alice.state);
	check(alice.csrfToken.endsWith('+\\') && alice.csrfToken.length === 42, 'a csrf token after login');
	check(new alice.Title('User:Alice').getNamespaceId() === 2, 'namespace data loaded from siteinfo');

	const title = 'E2E mwn edit';
	const saved = await step(`POST action=edit title=${title} (save)`, () => alice.save(title, 'First text.', 'e2e mwn'));
	check(saved.result === 'Success', 'save()', saved);
	const page = await step(`GET prop=revisions titles=${title}`, () => alice.read(title));
	check(page.revisions[0].content === 'First text.', 'read() returns the saved text', page);
	const edited = await step(`action=edit title=${title} (edit with basetimestamp)`,
		() => alice.edit(title, (rev) => ({ text: rev.content + ' Second.', summary: 'e2e mwn edit()' })));
	check(edited.result === 'Success', 'edit() read-modify-write', edited);
	const again = await step(`GET prop=revisions titles=${title}`, () => alice.read(title));
	check(again.revisions[0].content === 'First text. Second.', 'edit() stored the new text', again);

	const long = 'x'.repeat(9000);
	const longSave = await step('POST action=edit (multipart/form-data, text of 9000 chars)',
		() => alice.save('E2E mwn long', long, 'e2e mwn multipart'));
	check(longSave.result === 'Success', 'a multipart save', longSave);
	const longPage = await step('GET prop=revisions titles=E2E mwn long', () => alice.read('E2E mwn long'));
	check(longPage.revisions[0].content === long, 'the multipart text arrived whole');

	// A stale token: mwn asks paraminfo for the edit token's type, fetches new tokens and retries.
	alice.csrfToken = '0123456789abcdef0123456789abcdef01234567+\\';
	const retried = await step('POST action=edit with a stale token (badtoken, then paraminfo modules=edit)',
		() => alice.save(title, 'After a bad token.', 'e2e mwn badtoken'));
	check(retried.result === 'Success' && alice.csrfToken !== '0123456789abcdef0123456789abcdef01234567+\\',
		'recovered from badtoken through paraminfo tokentype', retried);

	const mindy = await login(botName, botPassword);
	const protectedTitle = 'E2E mwn protect';
	await step(`POST action=edit title=${protectedTitle}`, () => mindy.save(protectedTitle, 'To protect.', 'e2e'));
	const protect = await step(`POST action=protect title=${protectedTitle} protections=edit=sysop`,
		() => mindy.request({ action: 'protect', title: protectedTitle, protections: 'edit=sysop',
			token: mindy.csrfToken }));
	check(protect.protect.protections[0].edit === 'sysop', 'protect through bot.request()', protect);

	let refusal = null;
	try {
		await step(`POST action=edit title=${protectedTitle} as ${aliceName}`,
			() => alice.save(protectedTitle, 'Not allowed.', 'e2e'));
	} catch (error) {
		refusal = error;
	}
	check(refusal !== null && refusal.code === 'protectedpage', 'alice cannot edit the protected page',
		refusal && { code: refusal.code, info: refusal.info });
	console.log('done');
}

run(main);
