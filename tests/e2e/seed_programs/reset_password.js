/*
reset_password.js
MediaWiki API Demos
Demo of `Resetpassword` module: Reset password for all users with an email address.
MIT license
*/
var request = require("request").defaults({jar: true}),
url = "{{API_URL}}";
// Step 1: GET Request to fetch login token
function getLoginToken() {
var params_0 = {
action: "query",
meta: "tokens",
type: "login",
format: "json"
};
request.get({ url: url, qs: params_0 }, function (error, res, body) {
if (error) {
return;
}
var data = JSON.parse(body);
loginRequest(data.query.tokens.logintoken);
});
}
// Step 2: POST request to log in.
// Use of main account for login is not
// supported. Obtain credentials via Special:BotPasswords
// (https://www.mediawiki.org/wiki/Special:BotPasswords) for lgname & lgpassword
function loginRequest(login_token) {
var params_1 = {
action: "login",
lgname: "{{LOGIN_NAME}}",
lgpassword: "{{LOGIN_PASSWORD}}",
lgtoken: login_token,
format: "json"
};
request.post({ url: url, form: params_1 }, function (error, res, body) {
if (error) {
return;
}
getCsrfToken();
});
}
// Step 3: GET request to fetch CSRF token
function getCsrfToken() {
var params_2 = {
action: "query",
meta: "tokens",
format: "json"
};
request.get({ url: url, qs: params_2 }, function(error, res, body) {
if (error) {
return;
}
var data = JSON.parse(body);
resetPassword(data.query.tokens.csrftoken);
});
}
// Step 4: Send a POST request to reset the password for all
// users with e-mail address user@mediawiki.org.
function resetPassword(csrf_token) {
var params_3 = {
action: "resetpassword",
email: "user@mediawiki.org",
format: "json",
token: csrf_token
};
request.post({ url: url, form: params_3 }, function(error, res, body) {
if (error) {
return;
}
console.log(body);
});
}
// Start From Step 1
getLoginToken();
