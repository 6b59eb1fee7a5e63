console.log('oicf');
